"""Wagtail admin screens of the certificates app. Every screen is for academy admins only and calls services."""

from datetime import datetime

from django import forms
from django.db.models import OuterRef, Q, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.auth import user_passes_test
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet

from academy.errors import DomainError
from academy.formats import format_date
from academy.roles import is_academy_admin
from academy.spreadsheets import SafeExportMixin
from certificates.models import (
    BatchStatus,
    Certificate,
    CertificateStatus,
    CertificateTemplate,
    IssuanceBatch,
)
from certificates.services import batches, rendering, revocation
from certificates.services.printability import printing_problem
from certificates.services.templates import default_template, preview_response
from courses.models import Registration, RegistrationStatus, Session

MENU_HOOK = "register_certificates_menu_item"
admin_only = user_passes_test(is_academy_admin)


# Templates (a snippet) -------------------------------------------------------------------------


class CertificateTemplateIndexView(SnippetIndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            MenuItem(
                _("Download a sample PDF"),
                url=reverse("certificates_admin:template_sample", args=[instance.pk]),
                icon_name="download",
            )
        )
        return buttons


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    index_view_class = CertificateTemplateIndexView
    icon = "doc-full"
    menu_label = gettext_lazy("Templates")
    menu_hook = MENU_HOOK
    list_display = ["name", "languages", "page_size", "orientation", "is_default"]
    search_fields = ["name"]


@admin_only
def template_sample(request, pk):
    template = get_object_or_404(CertificateTemplate, pk=pk)
    response = preview_response(template, request.GET.get("as", "pdf"))
    if response.get("Content-Type") == "application/pdf":
        response["Content-Disposition"] = f'attachment; filename="certificate-sample-{pk}.pdf"'
    return response


# Registry of certificates -----------------------------------------------------------------------


def _bishkek_time(value):
    """An aware datetime as a naive one in the academy's time zone (Asia/Bishkek): exports state local time,
    like every admin screen, where Wagtail would write UTC."""
    if timezone.is_aware(value):
        return timezone.localtime(value, timezone.get_default_timezone()).replace(tzinfo=None)
    return value


class CertificateIndexView(SafeExportMixin, generic.IndexView):
    custom_value_preprocess = {
        **generic.IndexView.custom_value_preprocess,
        datetime: {
            generic.IndexView.FORMAT_XLSX: _bishkek_time,
            generic.IndexView.FORMAT_CSV: lambda value: _bishkek_time(value).strftime("%Y-%m-%d %H:%M"),
        },
    }

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            MenuItem(_("Download PDF"), url=reverse("certificates_admin:pdf", args=[instance.pk]), icon_name="download")
        )
        if instance.status == CertificateStatus.VALID:
            buttons.append(
                MenuItem(_("Reissue"), url=reverse("certificates_admin:reissue", args=[instance.pk]), icon_name="redirect")
            )
            buttons.append(
                MenuItem(_("Revoke"), url=reverse("certificates_admin:revoke", args=[instance.pk]), icon_name="cross")
            )
        return buttons


class CertificateInspectView(generic.InspectView):
    template_name = "certificates/admin/certificate_inspect.html"

    @cached_property
    def header_more_buttons(self):
        buttons = [
            Button(
                _("Download PDF"),
                url=reverse("certificates_admin:pdf", args=[self.object.pk]),
                icon_name="download",
                priority=10,
            )
        ]
        if self.object.status == CertificateStatus.VALID:
            buttons += [
                Button(
                    _("Reissue"),
                    url=reverse("certificates_admin:reissue", args=[self.object.pk]),
                    icon_name="redirect",
                    priority=20,
                ),
                Button(
                    _("Revoke"),
                    url=reverse("certificates_admin:revoke", args=[self.object.pk]),
                    icon_name="cross",
                    priority=30,
                ),
            ]
        return buttons

    # Times in the academy's time zone, written as on every other admin screen (academy.formats).
    def get_issued_at_display_value(self):
        return format_date(self.object.issued_at, "short_datetime") if self.object.issued_at else "—"

    def get_revoked_at_display_value(self):
        return format_date(self.object.revoked_at, "short_datetime") if self.object.revoked_at else "—"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["events"] = self.object.events.select_related("actor__profile")
        context["replacement"] = Certificate.objects.filter(replaces=self.object).first()
        context["verify_path"] = self.object.get_verify_path()
        return context


class ReadOnlyViewSetMixin:
    """Only the listing (with export) and the inspect view: nothing here is added, edited or deleted."""

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]


def _status_label(certificate):
    return certificate.get_status_display()


class CertificateViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = Certificate
    icon = "tick-inverse"
    menu_label = gettext_lazy("Registry")
    url_prefix = "certificates/registry"
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    list_per_page = 50
    ordering = ["-issued_at", "-pk"]
    list_display = [
        "number",
        "holder_name",
        "course_title",
        DateColumn("issued_on", label=gettext_lazy("Issued on"), sort_key="issued_on"),
        StatusTagColumn(
            "status",
            label=gettext_lazy("Status"),
            accessor=_status_label,
            primary=lambda certificate: certificate.status == CertificateStatus.VALID,
            sort_key="status",
        ),
    ]
    list_filter = ["status", "year", "issued_on"]
    search_fields = ["number", "holder_name", "holder_name_latin", "course_title", "code"]
    list_export = [
        "number",
        "get_status_display",
        "holder_name",
        "holder_name_latin",
        "course_title",
        "course_hours",
        "starts_on",
        "ends_on",
        "issued_on",
        "session_id",
        "licence_number",
        "revoked_at",
        "revocation_reason",
        "code",
    ]
    export_headings = {
        "number": gettext_lazy("Number"),
        "get_status_display": gettext_lazy("Status"),
        "holder_name": gettext_lazy("Holder"),
        "holder_name_latin": gettext_lazy("Holder (Latin)"),
        "course_title": gettext_lazy("Course"),
        "course_hours": gettext_lazy("Academic hours"),
        "starts_on": gettext_lazy("Started on"),
        "ends_on": gettext_lazy("Ended on"),
        "issued_on": gettext_lazy("Issued on"),
        "session_id": gettext_lazy("Session"),
        "licence_number": gettext_lazy("Licence number"),
        "revoked_at": gettext_lazy("Revoked at (Bishkek time)"),
        "revocation_reason": gettext_lazy("Reason for revocation"),
        "code": gettext_lazy("Verification code"),
    }
    export_filename = "certificates"
    inspect_view_fields = [
        "number",
        "status",
        "holder_name",
        "holder_name_latin",
        "course_title",
        "course_hours",
        "starts_on",
        "ends_on",
        "issued_on",
        "issued_at",
        "issued_by",
        "licence_number",
        "languages",
        "template",
        "session",
        "registration",
        "batch",
        "code",
        "revoked_at",
        "revocation_reason",
        "replaces",
    ]


@admin_only
def certificate_pdf(request, pk):
    certificate = get_object_or_404(Certificate.objects.select_related("template"), pk=pk)
    response = HttpResponse(rendering.certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{rendering.pdf_filename(certificate)}"'
    return response


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=gettext_lazy("Shown to anyone who checks the certificate."),
    )


class ReissueForm(RevokeForm):
    holder_name = forms.CharField(label=gettext_lazy("Holder's name (Cyrillic)"), max_length=200)
    holder_name_latin = forms.CharField(label=gettext_lazy("Holder's name (Latin)"), max_length=200, required=False)

    field_order = ["holder_name", "holder_name_latin", "reason"]


@method_decorator(admin_only, name="dispatch")
class CertificateActionView(WagtailAdminTemplateMixin, FormView):
    template_name = "certificates/admin/certificate_action.html"
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        self.certificate = get_object_or_404(Certificate, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.certificate.number

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("certificate_registry:index"), "label": _("Certificates")},
            {"url": reverse("certificate_registry:inspect", args=[self.certificate.pk]), "label": self.certificate.number},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["certificate"] = self.certificate
        context["submit_label"] = self.submit_label
        return context

    def form_valid(self, form):
        try:
            target = self.perform(form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
            return self.form_invalid(form)
        return redirect("certificate_registry:inspect", target.pk)


class RevokeView(CertificateActionView):
    form_class = RevokeForm
    page_title = gettext_lazy("Revoke certificate")
    submit_label = gettext_lazy("Revoke")

    def perform(self, data):
        certificate = revocation.revoke_certificate(self.certificate, reason=data["reason"], actor=self.request.user)
        messages.success(self.request, _("Certificate %(number)s is revoked.") % {"number": certificate.number})
        return certificate


class ReissueView(CertificateActionView):
    form_class = ReissueForm
    page_title = gettext_lazy("Reissue certificate")
    submit_label = gettext_lazy("Reissue")

    def get_initial(self):
        profile = getattr(self.certificate.user, "profile", None) if self.certificate.user_id else None
        return {
            "holder_name": profile.full_name if profile else self.certificate.holder_name,
            "holder_name_latin": profile.full_name_latin if profile else self.certificate.holder_name_latin,
        }

    def perform(self, data):
        new = revocation.reissue_certificate(
            self.certificate,
            reason=data["reason"],
            actor=self.request.user,
            holder_name=data["holder_name"],
            holder_name_latin=data["holder_name_latin"],
        )
        messages.success(
            self.request,
            _("Certificate %(old)s is replaced by %(new)s; the participant is e-mailed a link.")
            % {"old": self.certificate.number, "new": new.number},
        )
        return new


# Bulk issuance ----------------------------------------------------------------------------------


def is_an_id(value):
    """Digits a database id can be: ASCII only (int("¹") fails), at most 18 of them (no overflow)."""
    text = str(value or "")
    return text.isascii() and text.isdigit() and len(text) <= 18


def sessions_with_completions():
    return (
        Session.objects.filter(pk__in=Registration.objects.completed().values("session_id"))
        .select_related("course")
        .order_by("-starts_at")
    )


class IssueForm(forms.Form):
    session = forms.ModelChoiceField(queryset=Session.objects.none(), label=gettext_lazy("Session"))
    template = forms.ModelChoiceField(
        queryset=CertificateTemplate.objects.all(),
        required=False,
        label=gettext_lazy("Template"),
        empty_label=gettext_lazy("The default template"),
    )
    registrations = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=[])

    def __init__(self, *args, session=None, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions_with_completions()
        self.fields["registrations"].choices = [(row.pk, row.pk) for row in rows]


@method_decorator(admin_only, name="dispatch")
class IssueView(WagtailAdminTemplateMixin, FormView):
    """Pick a session (and, if wanted, some of its completed registrations), then issue in the background."""

    template_name = "certificates/admin/issue.html"
    form_class = IssueForm
    page_title = gettext_lazy("Issue certificates")
    header_icon = "doc-full"

    @cached_property
    def session(self):
        session_id = self.request.POST.get("session") or self.request.GET.get("session")
        if is_an_id(session_id):
            return Session.objects.select_related("course").filter(pk=session_id).first()
        return None

    @cached_property
    def rows(self):
        if self.session is None:
            return []
        number = Certificate.objects.filter(registration=OuterRef("pk"), status=CertificateStatus.VALID)
        rows = list(
            self.session.registrations.filter(
                Q(status=RegistrationStatus.CONFIRMED) | Q(completed_at__isnull=False)
            )
            .select_related("user__profile")
            .annotate(certificate_number=Subquery(number.values("number")[:1]))
            .order_by("user__profile__full_name", "pk")
        )
        languages = self.template_languages
        for row in rows:  # warned before issuing; issuing would skip them (printability.check_printable)
            profile = getattr(row.user, "profile", None)
            row.printing_problem = (
                printing_problem(profile.full_name.strip(), profile.full_name_latin.strip(), languages)
                if profile is not None and languages and not row.certificate_number
                else ""
            )
        return rows

    @cached_property
    def template_languages(self):
        """The languages of the chosen template (the default one until a template is chosen)."""
        chosen = self.request.POST.get("template") or self.request.GET.get("template") or ""
        template = None
        if is_an_id(chosen):
            template = CertificateTemplate.objects.filter(pk=int(chosen)).first()
        try:
            return (template or default_template()).language_list
        except DomainError:
            return []

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(session=self.session, rows=self.rows)
        if self.session is not None and "data" not in kwargs:
            kwargs["initial"] = {"session": self.session}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            session=self.session,
            rows=self.rows,
            open_batches=IssuanceBatch.objects.exclude(status=BatchStatus.DONE).select_related("session__course")[:10],
        )
        return context

    def form_valid(self, form):
        whole_session = "whole_session" in self.request.POST
        selected = form.cleaned_data["registrations"]
        if not whole_session and not selected:
            form.add_error("registrations", _("Select at least one registration, or issue for the whole session."))
            return self.form_invalid(form)
        try:
            batch = batches.start_batch(
                created_by=self.request.user,
                session=form.cleaned_data["session"],
                registration_ids=None if whole_session else selected,
                template=form.cleaned_data["template"],
                language=get_language(),
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
            return self.form_invalid(form)
        messages.success(self.request, _("Issuing has started."))
        return redirect("certificate_batches:inspect", batch.pk)


class BatchInspectView(generic.InspectView):
    template_name = "certificates/admin/batch_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["batch"] = self.object
        context["status_url"] = reverse("api-certificate-batch", args=[self.object.pk])
        context["resume_url"] = reverse("certificates_admin:resume_batch", args=[self.object.pk])
        context["registry_url"] = reverse("certificate_registry:index")
        return context


class BatchIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("session__course", "created_by__profile")


class IssuanceBatchViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = IssuanceBatch
    icon = "list-ul"
    menu_label = gettext_lazy("Issuance batches")
    url_prefix = "certificates/batches"
    index_view_class = BatchIndexView
    inspect_view_class = BatchInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    ordering = ["-created_at", "-pk"]
    list_display = [
        "__str__",
        Column("total", label=gettext_lazy("Registrations")),
        Column("issued_count", label=gettext_lazy("Issued")),
        Column("existing_count", label=gettext_lazy("Already issued")),
        Column("skipped_count", label=gettext_lazy("Skipped")),
        "created_by",
        DateColumn("created_at", label=gettext_lazy("Created at"), sort_key="created_at"),
    ]
    list_filter = ["status"]
    inspect_view_fields = ["session", "template", "status"]


@admin_only
def resume_batch(request, pk):
    batch = get_object_or_404(IssuanceBatch, pk=pk)
    if request.method == "POST":
        try:
            batches.resume_batch(batch)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The batch is queued again."))
    return redirect("certificate_batches:inspect", batch.pk)


class CertificatesMenu(ModelViewSetGroup):
    menu_label = gettext_lazy("Certificates")
    menu_icon = "doc-full-inverse"
    menu_order = 300
    submenu_hook = MENU_HOOK
    items = (CertificateViewSet("certificate_registry"), IssuanceBatchViewSet("certificate_batches"))
