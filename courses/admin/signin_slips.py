"""First sign-in for people an organiser added to a session (imports): printed slips with a QR code, or the
link sent by each person's best channel. For the session's trainers and academy admins."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail import hooks

from academy.services import first_signin
from courses.admin.registrations import SessionMixin, _breadcrumbs
from courses.qr import qr_svg


def people_without_password(session):
    registrations = (
        session.registrations.active()
        .select_related("user__profile")
        .order_by("user__profile__full_name", "pk")
    )
    return [registration.user for registration in registrations if first_signin.needs_first_signin(registration.user)]


def chosen_ids(data):
    """The `person` ids an import result passes (the phone-only people it created), or None for everyone."""
    if "person" not in data:
        return None
    return {int(value) for value in data.getlist("person") if value.isascii() and value.isdigit() and len(value) < 12}


def chosen_people(session, data):
    """People of the session who need a first sign-in, narrowed to the chosen ones; never anyone else."""
    people = people_without_password(session)
    wanted = chosen_ids(data)
    return people if wanted is None else [person for person in people if person.pk in wanted]


class SigninSlipsView(SessionMixin, TemplateView):
    template_name = "courses/registration/admin/signin_slips.html"
    page_title = gettext_lazy("First sign-in")

    def get_breadcrumbs_items(self):
        return _breadcrumbs({"url": self.roster_url(), "label": str(self.session)}, {"url": "", "label": _("First sign-in")})

    def get(self, request, *args, **kwargs):
        people = chosen_people(self.session, request.GET)
        if request.GET.get("print"):
            slips = []
            for person in people:
                link = first_signin.signin_link(person)
                slips.append({"person": person, "link": link, "qr": mark_safe(qr_svg(link, module_size=3, title=person.display_name))})
            return render(request, "courses/registration/admin/signin_slips_print.html", {"session": self.session, "slips": slips})
        chosen = chosen_ids(request.GET)
        person_query = "&" + urlencode({"person": sorted(chosen)}, doseq=True) if chosen is not None else ""
        context = self.get_context_data(
            people=people, chosen=None if chosen is None else sorted(chosen), person_query=person_query
        )
        return self.render_to_response(context)

    def post(self, request, *args, **kwargs):
        sent = sum(first_signin.send_signin_link(person) for person in chosen_people(self.session, request.POST))
        messages.success(
            request,
            ngettext("The sign-in link was sent to %(count)s person.", "The sign-in link was sent to %(count)s people.", sent)
            % {"count": sent},
        )
        chosen = chosen_ids(request.POST)
        query = "?" + urlencode({"person": sorted(chosen)}, doseq=True) if chosen is not None else ""
        return redirect(reverse("registration_signin_slips", args=[self.session.pk]) + query)


@hooks.register("register_admin_urls")
def register_signin_slip_urls():
    return [
        path(
            "registrations/session/<int:session_id>/first-sign-in/",
            SigninSlipsView.as_view(),
            name="registration_signin_slips",
        )
    ]
