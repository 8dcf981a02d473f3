"""The admin's home page for trainers: a panel with their next sessions and their pending work.

Imported by courses/wagtail_hooks.py. The data comes from courses.services.trainer_overview.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from academy.roles import is_staff_member
from courses.services import trainer_overview


class TrainerPanel(Component):
    name = "trainer_overview"
    order = 50  # above Wagtail's own panels (pages, locks, edits)
    template_name = "courses/admin/dashboard_panel.html"
    title = _("My sessions and pending work")

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        overview = trainer_overview.overview(self.user)
        context.update(overview=overview, title=self.title)
        return context


@hooks.register("construct_homepage_panels")
def add_trainer_panel(request, panels):
    if is_staff_member(request.user):
        panels.insert(0, TrainerPanel(request.user))
