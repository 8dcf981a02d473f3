"""The one filter set every report, export, the donor summary and the summary API share."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from academy.models import District, FundingProject, Region, User
from academy.roles import TRAINERS
from courses.filters import IdChoiceFilter
from courses.models import Registration

from .services.base import ReportFilters, participant_q
from .services.labels import course_titles


def course_choices():
    """One choice per course (all its language versions), titled in the active language."""
    titles = course_titles()
    return sorted(((str(key), title) for key, title in titles.items()), key=lambda choice: choice[1])


class ReportFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The end of the period cannot be before its start."))
        region, district = cleaned.get("region"), cleaned.get("district")
        if region and district and district.region_id != region.pk:
            self.add_error("district", _("This district is not in the chosen oblast."))
        return cleaned


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ReportFilterSet(django_filters.FilterSet):
    date_from = django_filters.DateFilter(label=_("Sessions from"), widget=DateInput())
    date_to = django_filters.DateFilter(label=_("to"), widget=DateInput())
    region = IdChoiceFilter(
        label=_("Oblast / city"), queryset=Region.objects.order_by("kind", "name_en"), empty_label=_("Anywhere")
    )
    district = IdChoiceFilter(
        label=_("District"), queryset=District.objects.order_by("name_en"), empty_label=_("All districts")
    )
    course = django_filters.ChoiceFilter(label=_("Course"), choices=course_choices, empty_label=_("Any course"))
    funding_project = IdChoiceFilter(
        label=_("Funding project"), queryset=FundingProject.objects.all(), empty_label=_("All funding projects")
    )
    trainer = IdChoiceFilter(
        label=_("Trainer"),
        queryset=User.objects.filter(groups__name=TRAINERS)
        .select_related("profile")
        .order_by("profile__full_name", "pk"),
        empty_label=_("All trainers"),
    )

    class Meta:
        model = Registration
        fields = ["date_from", "date_to", "region", "district", "course", "funding_project", "trainer"]
        form = ReportFilterForm

    def report_filters(self):
        """The validated filters as a `ReportFilters` (call `is_valid()` first)."""
        data = self.form.cleaned_data
        return ReportFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            region_id=data["region"].pk if data.get("region") else None,
            district_id=data["district"].pk if data.get("district") else None,
            course_key=data.get("course") or None,
            funding_project_id=data["funding_project"].pk if data.get("funding_project") else None,
            trainer_id=data["trainer"].pk if data.get("trainer") else None,
        )

    def filter_queryset(self, queryset):
        """`.qs` is the participant registrations (see reports.services.base) matching the filters."""
        return queryset.filter(participant_q(self.report_filters()))

    def error_messages(self):
        return {field: [str(error) for error in errors] for field, errors in self.form.errors.items()}
