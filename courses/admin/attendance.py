"""Wagtail admin set-up for this area; imported by courses/wagtail_hooks.py.

A menu item to the trainer dashboard (`/<lang>/trainer/`), where trainers take attendance,
show the QR check-in code, print sign-in sheets, review assignments and finalise sessions.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem

from academy.roles import is_staff_member


class TrainerDashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return is_staff_member(request.user)

    def render_component(self, request):
        # Resolved per request, so the link carries the language the admin is shown in.
        return LinkMenuItem(
            self.name,
            self.label,
            reverse("trainer_dashboard"),
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


@hooks.register("register_admin_menu_item")
def register_trainer_dashboard_menu_item():
    return TrainerDashboardMenuItem(
        _("Trainer dashboard"), "", name="trainer-dashboard", icon_name="clipboard-list", order=250
    )
