"""The filters of "Who is due, where": oblast → district → municipality, the statuses listed and the page.

Shared by the admin screen and `GET /api/v1/reports/qualification/`. A viewer limited to some
municipalities (a municipality officer) is offered only those and the district and oblast they lie in;
any other id is an unknown choice, so the answer never says whether it exists.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from academy.models import District, Municipality, Region
from certificates.models.qualification import CycleStatus
from courses.filters import IdChoiceField

from .services.qualification import DUE_STATUSES, Place

STATUS_CHOICES = [
    ("", _("Due soon and overdue")),
    (CycleStatus.OVERDUE, CycleStatus.OVERDUE.label),
    (CycleStatus.DUE_SOON, CycleStatus.DUE_SOON.label),
]
MAX_PAGE = 100_000


class QualificationFilterForm(forms.Form):
    oblast = IdChoiceField(
        label=_("Oblast / city"),
        queryset=Region.objects.order_by("kind", "name_en"),
        required=False,
        empty_label=_("All"),
    )
    district = IdChoiceField(
        label=_("District"),
        queryset=District.objects.order_by("region__name_en", "name_en"),
        required=False,
        empty_label=_("All districts"),
    )
    municipality = IdChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.order_by("name_en"),
        required=False,
        empty_label=_("All municipalities"),
    )
    status = forms.ChoiceField(label=_("List"), choices=STATUS_CHOICES, required=False)
    page = forms.IntegerField(label=_("Page"), min_value=1, max_value=MAX_PAGE, required=False)

    def __init__(self, data=None, *, scope=None, **kwargs):
        super().__init__(data, **kwargs)
        if scope is not None:
            municipalities = Municipality.objects.filter(pk__in=scope.values("pk"))
            self.fields["municipality"].queryset = municipalities.order_by("name_en")
            self.fields["district"].queryset = District.objects.filter(
                pk__in=municipalities.values("district_id")
            ).order_by("name_en")
            self.fields["oblast"].queryset = Region.objects.filter(
                pk__in=municipalities.values("district__region_id")
            ).order_by("name_en")
        for field in self.fields.values():
            field.widget.attrs.setdefault("data-qualification-filter", "")

    def clean(self):
        cleaned = super().clean()
        region, district, municipality = cleaned.get("oblast"), cleaned.get("district"), cleaned.get("municipality")
        if region and district and district.region_id != region.pk:
            self.add_error("district", _("This district is not in the chosen oblast."))
        if municipality and district and municipality.district_id != district.pk:
            self.add_error("municipality", _("This municipality is not in the chosen district."))
        elif municipality and region and not district and municipality.district.region_id != region.pk:
            self.add_error("municipality", _("This municipality is not in the chosen oblast."))
        return cleaned

    def place(self):
        data = self.cleaned_data
        return Place(region=data.get("oblast"), district=data.get("district"), municipality=data.get("municipality"))

    def statuses(self):
        status = self.cleaned_data.get("status")
        return (status,) if status else DUE_STATUSES

    def page_number(self):
        return self.cleaned_data.get("page") or 1

    def error_messages(self):
        return {field: [str(error) for error in errors] for field, errors in self.errors.items()}
