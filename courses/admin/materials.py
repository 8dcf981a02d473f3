"""Wagtail admin set-up for training materials; imported by courses/wagtail_hooks.py.

* "Training materials" (a ModelViewSet): trainers see and edit only the materials of their sessions
  (and of their sessions' courses), admins all. The form uploads a file (checked by content) or
  chooses a Wagtail document/image, shows the short link with its QR code and can withdraw the link.
* "Material packs": each session with its pack QR code and a "Print handout" link.
* The `before_serve_document` hook keeps documents of non-public materials away from people who may
  not see them.
"""

from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponseForbidden
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

from academy.errors import DomainError
from academy.roles import ACADEMY_ADMINS, TRAINERS, is_academy_admin, is_staff_member
from courses.models import CoursePage, Material, Session, ShortLink
from courses.permissions import manageable_sessions
from courses.services import materials as service
from courses.services import shortlinks

# --- Permissions --------------------------------------------------------------------------------------------


class MaterialPermissionPolicy(BasePermissionPolicy):
    """Trainers and admins work with materials; a trainer only with those of their sessions and courses."""

    def user_has_permission(self, user, action):
        return is_staff_member(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return service.can_manage_material(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        return Material.objects.manageable_by(user)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model
        from django.db.models import Q

        return get_user_model().objects.filter(
            Q(is_superuser=True) | Q(groups__name__in=[TRAINERS, ACADEMY_ADMINS]), is_active=True
        ).distinct()


material_permission_policy = MaterialPermissionPolicy(Material)
register_permission_policy(Material, material_permission_policy)


# --- Form -------------------------------------------------------------------------------------------------------

FIELD_OF_ERROR = {"file": "upload"}


def _may_choose(user, model):
    """Whether Wagtail lets the user open the chooser of documents or images (collection permissions)."""
    return policy_registry.get_by_type(model).user_has_any_permission(user, ["choose"])


class MaterialAdminForm(WagtailAdminModelForm):
    upload = forms.FileField(
        label=_("Upload a file"),
        required=False,
        help_text=_(
            "A PDF, DOCX, PPTX or XLSX document, or a JPEG, PNG, GIF or WebP image. "
            "Uploading again replaces the file: the short link and the printed QR code keep working."
        ),
    )
    link_active = forms.BooleanField(
        label=_("Short link active"),
        required=False,
        initial=True,
        help_text=_("Untick to withdraw the printed QR code: it then shows a “no longer available” page."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if "session" in self.fields:
            self.fields["session"].queryset = manageable_sessions(user).select_related("course")
        if "course" in self.fields:
            courses = CoursePage.objects.select_related("locale").order_by("title")
            if not is_academy_admin(user):
                keys = manageable_sessions(user).values("course__translation_key")
                courses = courses.filter(translation_key__in=keys)
            self.fields["course"].queryset = courses
            self.fields["course"].label_from_instance = lambda page: f"{page.title} [{page.locale.language_code}]"
            self.fields["course"].help_text = _("Only for a material of the whole course; leave empty otherwise.")
        if "document" in self.fields and not _may_choose(user, get_document_model()):
            del self.fields["document"]
        if "image" in self.fields and not _may_choose(user, get_image_model()):
            del self.fields["image"]
        if self.instance.pk:
            link = ShortLink.objects.filter(material=self.instance).first()
            self.fields["link_active"].initial = link.is_active if link else True

    def clean(self):
        cleaned_data = super().clean()
        session = cleaned_data.get("session")
        if session is not None:
            cleaned_data["course"] = session.course
        return cleaned_data

    def _upload(self):
        upload = self.cleaned_data.get("upload") if hasattr(self, "cleaned_data") else None
        return service.Upload(file=upload, name=upload.name) if upload else None

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            service.validate_material(self.for_user, self.instance, upload=self._upload())
        except DomainError as error:
            field = FIELD_OF_ERROR.get(error.field, error.field)
            self.add_error(field if field in self.fields else None, str(error.message))

    def save(self, commit=True):
        return service.save_material(
            self.for_user,
            self.instance,
            upload=self._upload(),
            link_active=self.cleaned_data.get("link_active"),
        )


class QRPreviewPanel(Panel):
    """The material's short link and its QR code, with links to the print (SVG) and screen (PNG) images."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "courses/materials/admin/qr_preview_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            link = ShortLink.objects.filter(material_id=self.instance.pk).first() if self.instance.pk else None
            context["link"] = link
            if link:
                context.update(
                    short_url=shortlinks.short_url(link),
                    svg_url=shortlinks.qr_svg_url(link),
                    png_url=shortlinks.qr_png_url(link),
                )
            return context


# --- Views ------------------------------------------------------------------------------------------------------


class ManageableMixin:
    """Only the materials the user may manage exist for these views."""

    def get_queryset(self):
        return Material.objects.manageable_by(self.request.user).select_related(
            "session", "session__course", "course", "short_link", "document", "image"
        )


def _qr_cell(material):
    try:
        link = material.short_link
    except ShortLink.DoesNotExist:
        return ""
    return format_html(
        '<a href="{}" target="_blank" rel="noopener"><img src="{}" width="48" height="48" alt="{}"></a> <code>{}</code>{}',
        shortlinks.link_path(link),
        reverse("short_link_svg", kwargs={"code": link.code}),
        _gettext("QR code"),
        link.code,
        "" if link.is_active else format_html(" <b>{}</b>", _gettext("withdrawn")),
    )


def handout_urls(session):
    """The handout's page and PDF in the language the session is given in (the language of its readers),
    not in the admin's language: an English admin must not print an English handout for a Kyrgyz room.
    A language the site does not speak falls back to the admin's language."""
    languages = {code for code, _name in settings.LANGUAGES}
    language = session.language if session.language in languages else translation.get_language()
    with translation.override(language):
        return (
            reverse("session_handout", kwargs={"session_id": session.pk}),
            reverse("session_handout_pdf", kwargs={"session_id": session.pk}),
        )


def _where_cell(material):
    if material.session_id:
        return format_html(
            '{}<br><a href="{}" target="_blank">{}</a>',
            material.session,
            handout_urls(material.session)[0],
            _gettext("Print handout"),
        )
    return format_html("{} <small>({})</small>", material.course.title if material.course_id else "", _gettext("course"))


def _scans_cell(material):
    try:
        return material.short_link.scan_count
    except ShortLink.DoesNotExist:
        return 0


class MaterialIndexView(generic.IndexView):
    def get_base_queryset(self):
        return Material.objects.manageable_by(self.request.user).select_related(
            "session", "session__course", "course", "short_link", "document", "image"
        )

    @cached_property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(_("Material packs and handouts"), url=reverse("material_packs"), icon_name="doc-full"),
        ]


class MaterialEditView(ManageableMixin, generic.EditView):
    pass


class MaterialDeleteView(ManageableMixin, generic.DeleteView):
    def delete_action(self):
        from wagtail.log_actions import log

        with transaction.atomic():
            log(instance=self.object, action="wagtail.delete", user=self.request.user)
            service.delete_material(self.request.user, self.object)


class ManageableObjectMixin:
    """History and usage of a material: only for those who may manage it (a 404 for everyone else)."""

    def get_base_object_queryset(self):
        return Material.objects.manageable_by(self.request.user)


class MaterialHistoryView(ManageableObjectMixin, generic.HistoryView):
    pass


class MaterialUsageView(ManageableObjectMixin, generic.UsageView):
    pass


class MaterialViewSet(ModelViewSet):
    model = Material
    icon = "doc-full"
    menu_label = _("Training materials")
    menu_order = 310
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    sort_order_field = None
    index_view_class = MaterialIndexView
    edit_view_class = MaterialEditView
    delete_view_class = MaterialDeleteView
    history_view_class = MaterialHistoryView
    usage_view_class = MaterialUsageView
    list_display = [
        "title",
        Column("where", label=_("Session or course"), accessor=_where_cell),
        "language",
        "visibility",
        "kind",
        Column("qr", label=_("Short link"), accessor=_qr_cell),
        Column("scans", label=_("Scans"), accessor=_scans_cell),
    ]
    list_filter = ["language", "visibility", "kind"]
    search_fields = ["title", "description"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                # The course is a plain list of the user's courses (set by the form), not Wagtail's page
                # chooser, whose "Choose a page (Course)" label is fixed in one language at start-up.
                [FieldPanel("session"), FieldPanel("course", widget=forms.Select)],
                heading=_("Where it belongs"),
            ),
            FieldPanel("title"),
            FieldPanel("description"),
            FieldPanel("language"),
            FieldPanel("visibility"),
            MultiFieldPanel(
                [
                    FieldPanel("kind"),
                    FieldPanel("upload"),
                    FieldPanel("document"),
                    FieldPanel("image"),
                    FieldPanel("url"),
                ],
                heading=_("File or link"),
            ),
            FieldPanel("sort_order"),
            MultiFieldPanel([QRPreviewPanel(), FieldPanel("link_active")], heading=_("Short link and QR code")),
        ],
        base_form_class=MaterialAdminForm,
    )


class MaterialPacksView(WagtailAdminTemplateMixin, TemplateView):
    """The sessions a user manages, each with its material pack QR code and its printable handout."""

    template_name = "courses/materials/admin/packs.html"
    page_title = _("Material packs and handouts")
    header_icon = "doc-full"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if not is_staff_member(request.user):
            return HttpResponseForbidden()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context_data(**kwargs)
        sessions = (
            manageable_sessions(self.request.user, Session.objects.all())
            .select_related("course", "material_pack_link")
            .annotate(material_count=Count("materials", distinct=True))
            .order_by("-starts_at", "pk")
        )
        page = Paginator(sessions, self.paginate_by).get_page(self.request.GET.get("p"))
        rows = []
        for session in page.object_list:
            try:
                link = session.material_pack_link
            except ShortLink.DoesNotExist:
                link = None
            handout_url, handout_pdf_url = handout_urls(session)
            rows.append({"session": session, "link": link, "handout_url": handout_url, "handout_pdf_url": handout_pdf_url})
        context.update(rows=rows, page=page, materials_url=reverse("course_materials:index"))
        return context


def material_packs(request):
    return MaterialPacksView.as_view()(request)


material_viewset = MaterialViewSet("course_materials")


@hooks.register("register_admin_viewset")
def register_material_viewset():
    return material_viewset


@hooks.register("register_admin_urls")
def register_material_admin_urls():
    return [path("material-packs/", material_packs, name="material_packs")]


# --- Serving documents ----------------------------------------------------------------------------------------


@hooks.register("before_serve_document")
def protect_material_documents(document, request):
    """Documents of non-public materials go only to the people who may see one of those materials."""
    access = service.document_access(request.user, document)
    if access == service.ALLOWED:
        return None
    if access == service.LOGIN:
        return redirect_to_login(request.get_full_path(), reverse("account_login"))
    response = render(
        request,
        "courses/materials/unavailable.html",
        {
            "title": _gettext("This material is not available to you"),
            "message": _gettext(
                "It is shared only with the confirmed participants or the trainers of the training. "
                "If you took part, log in with the account you registered with."
            ),
        },
        status=403,
    )
    response["Cache-Control"] = "private, no-cache"
    return response
