"""The qualification record in the Wagtail admin (academy admins only): external and past trainings, added one
by one or imported from a spreadsheet, and the academy's qualification rules. Registered in wagtail_hooks.py."""

import secrets

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.auth import user_passes_test
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton

from academy.errors import DomainError
from academy.roles import is_academy_admin
from certificates.models import ExternalTraining, QualificationRule
from certificates.services import external_import, external_trainings
from courses.services import imports as spreadsheet_files
from courses.services.uploads import safe_name

MENU_HOOK = "register_qualification_menu_item"
IMPORTS_KEY = "external_training_imports"
admin_only = user_passes_test(is_academy_admin)


# External trainings, one by one -------------------------------------------------------------------


class ExternalTrainingForm(WagtailAdminModelForm):
    person = forms.CharField(
        label=gettext_lazy("Person (e-mail or phone)"),
        max_length=254,
        help_text=gettext_lazy("The e-mail address or phone number of the person's account."),
    )
    # Not the model's form field: hours ≤ 0 get the record's own message (services.external_trainings).
    hours = forms.IntegerField(label=gettext_lazy("academic hours"))

    class Meta:
        model = ExternalTraining
        fields = ["title", "provider", "starts_on", "ends_on", "hours", "evidence"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._person = None
        user = self.instance.user if self.instance.user_id else None
        if user is not None and not self.is_bound:
            profile = getattr(user, "profile", None)
            self.initial["person"] = user.email or (profile.phone if profile else "")

    def clean_evidence(self):
        file = self.cleaned_data.get("evidence")
        if isinstance(file, UploadedFile):
            try:
                external_trainings.check_evidence(file)
            except DomainError as error:
                raise forms.ValidationError(str(error.message))
        return file

    def clean(self):
        data = super().clean()
        person = data.get("person")
        user = external_trainings.find_person(person) if person else None
        if person and user is None:
            self.add_error("person", _("No account has this e-mail address or phone number."))
        checked = ("person", "title", "provider", "starts_on", "ends_on", "hours")
        if any(name in self.errors for name in checked):
            return data
        try:
            values = external_trainings.check_training(
                user,
                exclude_pk=self.instance.pk,
                title=data.get("title"),
                provider=data.get("provider"),
                starts_on=data.get("starts_on"),
                ends_on=data.get("ends_on"),
                hours=data.get("hours"),
            )
        except DomainError as error:
            self.add_error(error.field if error.field in self.fields else None, str(error.message))
            return data
        self._person = user
        data.update(
            title=values.title,
            provider=values.provider,
            starts_on=values.starts_on,
            ends_on=values.ends_on,
            hours=values.hours,
        )
        return data

    def save(self, commit=True):
        instance = super().save(commit=False)
        instance.user = self._person
        if instance.created_by_id is None and getattr(self, "for_user", None) is not None:
            instance.created_by = self.for_user
        evidence = self.cleaned_data.get("evidence")
        if isinstance(evidence, UploadedFile):
            instance.evidence_name = safe_name(evidence.name)
        elif not evidence:
            instance.evidence_name = ""
        if commit:
            instance.save()
        return instance


def _person(training):
    return training.user.display_name


def _evidence_link(training):
    return _("yes") if training.evidence else ""


class ExternalTrainingIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user__profile")

    @property
    def header_buttons(self):
        buttons = super().header_buttons
        buttons.append(
            HeaderButton(_("Import a list"), url=reverse("qualification_admin:import"), icon_name="upload")
        )
        return buttons


class ExternalTrainingEditView(generic.EditView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object.evidence:
            messages.info(
                self.request,
                _("Evidence on file: %(name)s") % {"name": self.object.evidence_name or _("file")},
                buttons=[messages.button(reverse("qualification_admin:evidence", args=[self.object.pk]), _("Open"))],
            )
        return context


class ExternalTrainingViewSet(ModelViewSet):
    model = ExternalTraining
    icon = "date"
    menu_label = gettext_lazy("External trainings")
    url_prefix = "qualification/external-trainings"
    index_view_class = ExternalTrainingIndexView
    edit_view_class = ExternalTrainingEditView
    copy_view_enabled = False
    add_to_reference_index = False
    list_per_page = 50
    ordering = ["-ends_on", "-pk"]
    edit_handler = ObjectList(
        [
            FieldPanel("person"),
            FieldPanel("title"),
            FieldPanel("provider"),
            FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
            FieldPanel("hours"),
            FieldPanel("evidence"),
        ],
        base_form_class=ExternalTrainingForm,
    )
    list_display = [
        Column("person", label=gettext_lazy("Person"), accessor=_person),
        "title",
        "provider",
        DateColumn("starts_on", label=gettext_lazy("Started on"), sort_key="starts_on"),
        DateColumn("ends_on", label=gettext_lazy("Ended on"), sort_key="ends_on"),
        Column("hours", label=gettext_lazy("Academic hours"), sort_key="hours"),
        Column("evidence", label=gettext_lazy("Evidence"), accessor=_evidence_link),
    ]
    list_filter = ["source", "ends_on"]
    search_fields = ["title", "provider", "user__email", "user__profile__full_name", "user__profile__phone"]


@admin_only
def evidence(request, pk):
    training = get_object_or_404(ExternalTraining, pk=pk)
    if not training.evidence:
        raise Http404
    try:
        handle = training.evidence.open("rb")
    except FileNotFoundError:
        raise Http404
    return FileResponse(handle, as_attachment=True, filename=training.evidence_name or "evidence")


# The rules ----------------------------------------------------------------------------------------


class QualificationRuleViewSet(ModelViewSet):
    model = QualificationRule
    icon = "time"
    menu_label = gettext_lazy("Qualification rules")
    url_prefix = "qualification/rules"
    copy_view_enabled = False
    add_to_reference_index = False
    form_fields = ["role_group", "min_hours", "cycle_years", "due_soon_days", "position_keywords"]
    list_display = ["role_group", "min_hours", "cycle_years", "due_soon_days"]


# Import from a spreadsheet ------------------------------------------------------------------------


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("List of trainings"),
        help_text=gettext_lazy("An .xlsx or .csv file with a header row and one training of one person per row."),
    )


class ImportMixin(WagtailAdminTemplateMixin):
    header_icon = "upload"
    page_title = gettext_lazy("Import external trainings")

    def dispatch(self, request, *args, **kwargs):
        if not is_academy_admin(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("external_trainings:index"), "label": _("External trainings")},
            {"url": "", "label": self.get_page_title()},
        ]

    def stored(self):
        return self.request.session.get(IMPORTS_KEY, {})


class ImportUploadView(ImportMixin, TemplateView):
    template_name = "certificates/admin/external_import_upload.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", UploadForm())
        context.update({"max_rows": spreadsheet_files.MAX_ROWS, "fields": external_import.field_choices()})
        return context

    def post(self, request, *args, **kwargs):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        uploaded = form.cleaned_data["file"]
        try:
            name = spreadsheet_files.save_upload(uploaded)
        except DomainError as error:
            form.add_error("file", str(error.message))
            return self.render_to_response(self.get_context_data(form=form))
        try:
            spreadsheet_files.read_table(spreadsheet_files.upload_path(name), name)
        except DomainError as error:
            spreadsheet_files.delete_upload(name)
            form.add_error("file", str(error.message))
            return self.render_to_response(self.get_context_data(form=form))
        token = secrets.token_urlsafe(12)
        stored = dict(self.stored())
        for old_token in list(stored)[:-4]:  # keep the last few uploads of this browser session
            spreadsheet_files.delete_upload(stored.pop(old_token).get("name"))
        stored[token] = {"name": name, "filename": uploaded.name[:200]}
        request.session[IMPORTS_KEY] = stored
        return redirect("qualification_admin:import_mapping", token)


class ImportMappingView(ImportMixin, TemplateView):
    template_name = "certificates/admin/external_import_mapping.html"

    def _expired(self):
        messages.error(self.request, _("The uploaded file has expired; please upload it again."))
        return redirect("qualification_admin:import")

    def _load(self):
        upload = self.stored().get(self.kwargs["token"])
        if not upload:
            return None, None
        try:
            return upload, spreadsheet_files.read_table(spreadsheet_files.upload_path(upload["name"]), upload["name"])
        except DomainError:
            return None, None

    def _context(self, upload, table, mapping=None, report=None, error=None, finished=False):
        context = self.get_context_data()
        context.update(
            {
                "upload": upload,
                "columns": external_import.preview(table, mapping),
                "fields": external_import.field_choices(),
                "row_count": len(table.rows),
                "report": report,
                "error": error,
                "finished": finished,
                "list_url": reverse("external_trainings:index"),
            }
        )
        return context

    def get(self, request, *args, **kwargs):
        upload, table = self._load()
        if upload is None:
            return self._expired()
        return self.render_to_response(self._context(upload, table))

    def post(self, request, *args, **kwargs):
        upload, table = self._load()
        if upload is None:
            return self._expired()
        mapping = {
            index: request.POST[f"column_{index}"]
            for index in range(len(table.headers))
            if request.POST.get(f"column_{index}")
        }
        confirm = request.POST.get("step") == "confirm"
        try:
            report = external_import.run_import(table, mapping, actor=request.user, dry_run=not confirm)
        except DomainError as error:
            return self.render_to_response(self._context(upload, table, mapping, error=str(error.message)))
        if not confirm:
            return self.render_to_response(self._context(upload, table, mapping, report=report))
        stored = dict(self.stored())
        stored.pop(self.kwargs["token"], None)
        request.session[IMPORTS_KEY] = stored
        spreadsheet_files.delete_upload(upload["name"])
        messages.success(
            request,
            _("Import finished: %(added)s trainings added, %(already)s already in the record, %(errors)s rows with errors.")
            % report.summary(),
        )
        return self.render_to_response(self._context(upload, table, mapping, report=report, finished=True))


class QualificationMenu(ModelViewSetGroup):
    menu_label = gettext_lazy("Qualification")
    menu_icon = "time"
    menu_order = 310
    submenu_hook = MENU_HOOK
    items = (
        ExternalTrainingViewSet("external_trainings"),
        QualificationRuleViewSet("qualification_rules"),
    )


urlpatterns = [
    path("import/", ImportUploadView.as_view(), name="import"),
    path("import/<str:token>/", ImportMappingView.as_view(), name="import_mapping"),
    path("evidence/<int:pk>/", evidence, name="evidence"),
]
