"""The costs report in the Wagtail admin: academy admins only (budgets are not for trainers)."""

from django.utils.translation import gettext_lazy

from reports.services import costs

from .admin import FilteredReportView


class CostsView(FilteredReportView):
    """Costs by budget line per funding project, course and session; .xlsx/.csv exports."""

    admin_only = True
    page_title = gettext_lazy("Costs")

    def build_report(self, filters):
        return costs.report(filters)
