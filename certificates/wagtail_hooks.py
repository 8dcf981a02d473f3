"""The certificates app in the Wagtail admin: a "Certificates" menu with the registry, bulk issuance,
issuance batches and certificate templates (a snippet). Academy admins only."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet

from academy.roles import is_academy_admin, is_staff_member
from certificates import admin_views, qualification_admin, zip_admin

register_snippet(admin_views.CertificateTemplateViewSet)


@hooks.register("register_admin_viewset")
def register_certificates_viewsets():
    return admin_views.CertificatesMenu()


class AcademyAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return is_academy_admin(request.user)


@hooks.register(admin_views.MENU_HOOK)
def issue_menu_item():
    return AcademyAdminMenuItem(_("Issue certificates"), reverse("certificates_admin:issue"), icon_name="plus", order=0)


@hooks.register("register_admin_urls")
def register_certificates_admin_urls():
    urls = [
        path("issue/", admin_views.IssueView.as_view(), name="issue"),
        path("batches/<int:pk>/resume/", admin_views.resume_batch, name="resume_batch"),
        path("registry/<int:pk>/pdf/", admin_views.certificate_pdf, name="pdf"),
        path("registry/<int:pk>/revoke/", admin_views.RevokeView.as_view(), name="revoke"),
        path("registry/<int:pk>/reissue/", admin_views.ReissueView.as_view(), name="reissue"),
        path("templates/<int:pk>/sample/", admin_views.template_sample, name="template_sample"),
    ]
    return [path("certificates/actions/", (urls, "certificates_admin", "certificates_admin"))]


@hooks.register("register_admin_viewset")
def register_qualification_viewsets():
    return qualification_admin.QualificationMenu()


@hooks.register(qualification_admin.MENU_HOOK)
def import_external_trainings_menu_item():
    return AcademyAdminMenuItem(
        _("Import external trainings"), reverse("qualification_admin:import"), icon_name="upload", order=10
    )


@hooks.register("register_admin_urls")
def register_qualification_admin_urls():
    return [
        path("qualification/actions/", (qualification_admin.urlpatterns, "qualification_admin", "qualification_admin"))
    ]


@hooks.register("register_admin_urls")
def register_certificate_zip_urls():
    return [path("certificates/zips/", (zip_admin.urlpatterns, "certificate_zips", "certificate_zips"))]


@hooks.register("register_snippet_listing_buttons")
def session_zip_button(snippet, user, next_url=None):
    """ "Certificates as ZIP" in each session's menu of the sessions list, for admins and trainers (the page
    checks that a trainer trains that session; no query per row here)."""
    from courses.models import Session

    if isinstance(snippet, Session) and is_staff_member(user):
        yield Button(
            _("Certificates as ZIP"),
            url=reverse("certificate_zips:session", args=[snippet.pk]),
            icon_name="download",
            priority=60,
        )
