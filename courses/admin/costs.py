"""The session form's budget lines (courses.SessionCost), edited inline like the seat quotas."""

from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT
from modelcluster.forms import BaseChildFormSet
from wagtail.admin.panels import InlinePanel

from academy.roles import is_academy_admin


class CostFormSet(BaseChildFormSet):
    """A session form posted without the costs section (an edit page opened before the section existed,
    a script) leaves the budget lines as they are, instead of failing on the missing management form."""

    def __init__(self, data=None, files=None, instance=None, queryset=None, prefix=None, **kwargs):
        prefix = prefix or self.get_default_prefix()
        if data is not None and f"{prefix}-{TOTAL_FORM_COUNT}" not in data:
            data = data.copy()
            data[f"{prefix}-{TOTAL_FORM_COUNT}"] = "0"
            data[f"{prefix}-{INITIAL_FORM_COUNT}"] = "0"
            queryset = self.model.objects.none()
        super().__init__(data, files, instance=instance, queryset=queryset, prefix=prefix, **kwargs)


class CostsInlinePanel(InlinePanel):
    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["formset"] = CostFormSet
        return options

    class BoundPanel(InlinePanel.BoundPanel):
        def is_shown(self):
            # Budget lines are the academy's: a trainer editing their session neither sees nor changes them.
            return is_academy_admin(self.request.user) and super().is_shown()


def ignore_costs_unless_admin(form):
    """Replace a non-admin's costs formset by one that keeps the lines as they are, whatever was posted."""
    costs = form.formsets.get("costs")
    if costs is None or is_academy_admin(form.for_user):
        return
    form.formsets["costs"] = type(costs)(
        data={} if form.is_bound else None, instance=form.instance, prefix=costs.prefix
    )
