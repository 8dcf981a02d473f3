"""The outcome report's input, shared by the admin page and the API: one funding project (required) and
a period (`from`, `to`: the sessions starting in it, both optional)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from academy.models import FundingProject
from courses.filters import IdChoiceField

from ..filters import DateInput
from ..services.base import ReportFilters


class OutcomeForm(forms.Form):
    funding_project = IdChoiceField(
        label=_("Funding project"),
        queryset=FundingProject.objects.order_by("-starts_on", "code"),
        empty_label=_("Choose a funding project"),
        error_messages={
            "required": _("Choose a funding project."),
            "invalid_choice": _("There is no such funding project."),
            "invalid_pk_value": _("There is no such funding project."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" and "to" are the API's parameter names; Python keywords, so added here.
        bad_date = {"invalid": _("Enter a date as YYYY-MM-DD.")}
        self.fields["from"] = forms.DateField(
            label=_("Sessions from"), required=False, widget=DateInput(), error_messages=bad_date
        )
        self.fields["to"] = forms.DateField(label=_("to"), required=False, widget=DateInput(), error_messages=bad_date)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error("to", _("The end of the period cannot be before its start."))
        return cleaned

    def report_filters(self):
        """The validated input as ReportFilters (call `is_valid()` first)."""
        data = self.cleaned_data
        return ReportFilters(
            funding_project_id=data["funding_project"].pk, date_from=data.get("from"), date_to=data.get("to")
        )

    def error_messages(self):
        return {field: [str(error) for error in errors] for field, errors in self.errors.items()}
