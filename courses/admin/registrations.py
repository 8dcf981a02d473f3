"""Wagtail admin for registrations: per-session rosters with bulk approve/reject/cancel, .xlsx export,
and the import of participant lists (upload → column mapping → dry run → confirm).

Trainers see only the sessions they train; imports are for academy admins. Imported by courses/wagtail_hooks.py.
"""

import secrets
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from academy.errors import DomainError
from academy.roles import is_academy_admin, is_staff_member
from courses.models import SEAT_STATUSES, RegistrationStatus, Session
from courses.permissions import can_manage_session, manageable_sessions
from courses.services import imports
from courses.services import registration as service
from courses.services import roster as roster_service

ROSTER_PAGE_SIZE = 100
SESSIONS_PAGE_SIZE = 50
IMPORTS_KEY = "registration_imports"


def _breadcrumbs(*items):
    return [
        {"url": reverse("wagtailadmin_home"), "label": _("Home")},
        {"url": reverse("registrations_admin:index"), "label": _("Registrations")},
        *items,
    ]


class StaffOnlyMixin(WagtailAdminTemplateMixin):
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class SessionMixin(StaffOnlyMixin):
    """A session the user manages: admins all, trainers their own.

    Anyone else is refused (Wagtail turns PermissionDenied into a redirect to the dashboard with a message).
    """

    def dispatch(self, request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied
        session = get_object_or_404(Session.objects.select_related("course", "venue"), pk=kwargs["session_id"])
        if not can_manage_session(request.user, session):
            raise PermissionDenied
        self.session = session
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.session)

    def roster_url(self):
        return reverse("registrations_admin:roster", args=[self.session.pk])


class SessionIndexView(StaffOnlyMixin, TemplateView):
    template_name = "courses/registration/admin/index.html"
    page_title = gettext_lazy("Registrations")

    def get_breadcrumbs_items(self):
        return _breadcrumbs()[:-1] + [{"url": "", "label": _("Registrations")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        when = (
            self.request.GET.get("when") if self.request.GET.get("when") in ("upcoming", "past", "all") else "upcoming"
        )
        sessions = manageable_sessions(self.request.user).select_related("course", "venue")
        if when == "upcoming":
            sessions = sessions.filter(ends_at__gte=now).order_by("starts_at", "pk")
        elif when == "past":
            sessions = sessions.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
        else:
            sessions = sessions.order_by("-starts_at", "-pk")
        sessions = sessions.annotate(
            confirmed_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
            waitlisted_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
            pending_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.PENDING)),
        )
        page = Paginator(sessions, SESSIONS_PAGE_SIZE).get_page(self.request.GET.get("p"))
        context.update({"page": page, "sessions": page.object_list, "when": when})
        return context


class BulkActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("approve", gettext_lazy("Approve")),
            ("reject", gettext_lazy("Reject")),
            ("cancel", gettext_lazy("Cancel")),
        ]
    )
    registration = forms.TypedMultipleChoiceField(coerce=int, choices=())
    note = forms.CharField(required=False, max_length=1000)

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        # Only ids of this session are accepted: an id of another session is refused by the form.
        self.fields["registration"].choices = [(pk, pk) for pk in session.registrations.values_list("pk", flat=True)]


class RosterView(SessionMixin, TemplateView):
    template_name = "courses/registration/admin/roster.html"
    page_title = gettext_lazy("Registrations")

    def get_breadcrumbs_items(self):
        return _breadcrumbs({"url": "", "label": str(self.session)})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        wanted = self.request.GET.get("status")
        wanted = wanted if wanted in RegistrationStatus.values else ""
        counts = dict(
            self.session.registrations.order_by()
            .values_list("status")
            .annotate(count=Count("pk"))
            .values_list("status", "count")
        )
        page = Paginator(roster_service.roster(self.session, wanted or None), ROSTER_PAGE_SIZE).get_page(
            self.request.GET.get("p")
        )
        context.update(
            {
                "session": self.session,
                "page": page,
                "registrations": page.object_list,
                "status": wanted,
                "statuses": [
                    {"value": value, "label": label, "count": counts.get(value, 0)}
                    for value, label in RegistrationStatus.choices
                ],
                "seats_left": max(
                    self.session.capacity - sum(counts.get(status, 0) for status in SEAT_STATUSES), 0
                ),
                "can_import": is_academy_admin(self.request.user),
                "is_admin": is_academy_admin(self.request.user),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        form = BulkActionForm(request.POST, session=self.session)
        back = self.roster_url() + (
            "?" + urlencode({"status": request.GET["status"]}) if request.GET.get("status") else ""
        )
        if not form.is_valid():
            messages.error(request, _("Choose an action and at least one registration of this session."))
            return redirect(back)
        action, ids, note = form.cleaned_data["action"], form.cleaned_data["registration"], form.cleaned_data["note"]
        try:
            if action == "approve":
                decision = service.approve(self.session, ids, actor=request.user, note=note)
            elif action == "reject":
                decision = service.reject(self.session, ids, actor=request.user, note=note)
            else:
                decision = service.cancel_many(self.session, ids, actor=request.user, reason=note)
        except DomainError as error:
            messages.error(request, str(error.message))
            return redirect(back)
        if decision.changed:
            done = {
                "approve": _("%(count)s registration(s) approved."),
                "reject": _("%(count)s registration(s) rejected."),
                "cancel": _("%(count)s registration(s) cancelled."),
            }[action]
            messages.success(request, done % {"count": len(decision.changed)})
            waitlisted = sum(1 for row in decision.changed if row.status == RegistrationStatus.WAITLISTED)
            if waitlisted:
                messages.warning(
                    request,
                    _("The session is full: %(count)s person(s) were put on the waitlist.") % {"count": waitlisted},
                )
        for _pk, message in decision.skipped[:5]:
            messages.warning(request, message)
        if len(decision.skipped) > 5:
            messages.warning(request, _("%(count)s more were skipped.") % {"count": len(decision.skipped) - 5})
        return redirect(back)


class RosterExportView(SessionMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        content = roster_service.export_roster_xlsx(self.session, actor=request.user)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        stamp = timezone.localtime(self.session.starts_at).strftime("%Y-%m-%d")
        response["Content-Disposition"] = f'attachment; filename="participants-{self.session.pk}-{stamp}.xlsx"'
        return response


# --- import -----------------------------------------------------------------------------------------


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Participant list"),
        help_text=gettext_lazy("An .xlsx or .csv file with one participant per row and a header row."),
    )


class ImportMixin(SessionMixin):
    def dispatch(self, request, *args, **kwargs):
        if not is_academy_admin(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return _breadcrumbs(
            {"url": self.roster_url(), "label": str(self.session)}, {"url": "", "label": _("Import a list")}
        )

    def get_page_title(self):
        return _("Import a participant list")

    def stored_imports(self):
        return self.request.session.get(IMPORTS_KEY, {})


class ImportUploadView(ImportMixin, TemplateView):
    template_name = "courses/registration/admin/import_upload.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", UploadForm())
        context.update({"session": self.session, "max_rows": imports.MAX_ROWS, "fields": imports.field_choices()})
        return context

    def post(self, request, *args, **kwargs):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        uploaded = form.cleaned_data["file"]
        try:
            name = imports.save_upload(uploaded)
        except DomainError as error:
            form.add_error("file", str(error.message))
            return self.render_to_response(self.get_context_data(form=form))
        try:
            sheet = imports.first_list_sheet(imports.upload_path(name), name)
        except DomainError as error:
            imports.delete_upload(name)
            form.add_error("file", str(error.message))
            return self.render_to_response(self.get_context_data(form=form))
        token = secrets.token_urlsafe(12)
        stored = dict(self.stored_imports())
        for old_token in list(stored)[:-4]:  # keep the last few uploads of this browser session
            imports.delete_upload(stored.pop(old_token).get("name"))
        stored[token] = {"session": self.session.pk, "name": name, "filename": uploaded.name[:200], "sheet": sheet}
        request.session[IMPORTS_KEY] = stored
        return redirect("registrations_admin:import_mapping", self.session.pk, token)


class ImportMappingView(ImportMixin, TemplateView):
    template_name = "courses/registration/admin/import_mapping.html"

    def _upload(self):
        upload = self.stored_imports().get(self.kwargs["token"])
        if not upload or upload.get("session") != self.session.pk:
            return None
        return upload

    def _table(self, upload):
        return imports.read_table(imports.upload_path(upload["name"]), upload["name"], sheet=upload.get("sheet"))

    def _sheets(self, upload):
        try:
            return imports.sheet_names(imports.upload_path(upload["name"]), upload["name"])
        except DomainError:  # the file is gone once imported: nothing left to choose
            return []

    def _choose_sheet(self, upload):
        """`?sheet=NAME` switches the import to another sheet of the workbook (the mapping starts afresh)."""
        chosen = self.request.GET.get("sheet")
        if chosen is None or chosen == upload.get("sheet"):
            return
        try:
            imports.read_table(imports.upload_path(upload["name"]), upload["name"], sheet=chosen)
        except DomainError as error:  # no such sheet, or no list on it: say so and keep the current one
            messages.error(self.request, str(error.message))
            return
        stored = dict(self.stored_imports())
        upload = stored[self.kwargs["token"]] = {**upload, "sheet": chosen}
        upload.pop("mapping", None)
        self.request.session[IMPORTS_KEY] = stored

    def _expired(self):
        messages.error(self.request, _("The uploaded file has expired; please upload it again."))
        return redirect("registrations_admin:import", self.session.pk)

    def get(self, request, *args, **kwargs):
        upload = self._upload()
        if upload is None:
            return self._expired()
        try:
            self._choose_sheet(upload)
            upload = self._upload()
            table = self._table(upload)
        except DomainError:
            return self._expired()
        mapping = {int(key): value for key, value in upload.get("mapping", {}).items()} or None
        return self.render_to_response(self._context(upload, table, mapping))

    def _context(self, upload, table, mapping, report=None, error=None):
        context = self.get_context_data()
        columns = imports.read_uploaded_preview(table, mapping)
        context.update(
            {
                "session": self.session,
                "upload": upload,
                "columns": columns,
                "fields": imports.field_choices(),
                "row_count": len(table.rows),
                "report": report,
                "error": error,
                "seats_left": service.seats_left(self.session),
                "sheets": self._sheets(upload),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        upload = self._upload()
        if upload is None:
            return self._expired()
        try:
            table = self._table(upload)
        except DomainError:
            return self._expired()
        mapping = {}
        for index in range(len(table.headers)):
            value = request.POST.get(f"column_{index}", "")
            if value:
                mapping[index] = value
        confirm = request.POST.get("step") == "confirm"
        # The organiser's choice for each row in conflict: resolve_<row number> = existing | new | skip.
        resolutions = {}
        for key, value in request.POST.items():
            number = key.removeprefix("resolve_")
            if number != key and number.isascii() and number.isdigit() and value in imports.RESOLUTIONS:
                resolutions[int(number)] = value
        try:
            report = imports.run_import(
                self.session, table, mapping, actor=request.user, dry_run=not confirm, resolutions=resolutions
            )
        except DomainError as error:
            return self.render_to_response(self._context(upload, table, mapping, error=str(error.message)))
        if not confirm:
            stored = dict(self.stored_imports())
            stored[self.kwargs["token"]] = {**upload, "mapping": {str(key): value for key, value in mapping.items()}}
            request.session[IMPORTS_KEY] = stored
            return self.render_to_response(self._context(upload, table, mapping, report=report))
        stored = dict(self.stored_imports())
        stored.pop(self.kwargs["token"], None)
        request.session[IMPORTS_KEY] = stored
        imports.delete_upload(upload["name"])
        summary = report.summary()
        messages.success(
            request,
            _(
                "Import finished: %(created)s new accounts, %(matched)s existing, %(confirmed)s confirmed, "
                "%(waitlisted)s waitlisted, %(already)s already registered, %(errors)s rows with errors."
            )
            % {**summary, "already": summary["already_registered"]},
        )
        context = self._context(upload, table, mapping, report=report)
        context["finished"] = True
        context["roster_url"] = self.roster_url()
        return self.render_to_response(context)


# --- hooks -----------------------------------------------------------------------------------------


class RegistrationsMenuItem(MenuItem):
    def is_shown(self, request):
        return is_staff_member(request.user)


app_name = "registrations_admin"
urlpatterns = [
    path("", SessionIndexView.as_view(), name="index"),
    path("session/<int:session_id>/", RosterView.as_view(), name="roster"),
    path("session/<int:session_id>/export.xlsx", RosterExportView.as_view(), name="export"),
    path("session/<int:session_id>/import/", ImportUploadView.as_view(), name="import"),
    path("session/<int:session_id>/import/<str:token>/", ImportMappingView.as_view(), name="import_mapping"),
]


@hooks.register("register_admin_urls")
def register_registration_urls():
    from django.urls import include

    return [path("registrations/", include((urlpatterns, app_name), namespace=app_name))]


@hooks.register("register_admin_menu_item")
def register_registrations_menu_item():
    return RegistrationsMenuItem(
        gettext_lazy("Registrations"),
        reverse("registrations_admin:index"),
        name="registrations",
        icon_name="group",
        order=260,
    )
