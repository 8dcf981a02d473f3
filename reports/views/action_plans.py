"""The action plans report in the Wagtail admin: share of joint action plan items done per session, course,
municipality and funding project, with .xlsx/.csv exports (trainers see their own sessions only)."""

from django.utils.translation import gettext_lazy

from reports.services import action_plans

from .admin import FilteredReportView


class ActionPlansView(FilteredReportView):
    page_title = gettext_lazy("Action plans")

    def build_report(self, filters):
        return action_plans.report(filters)
