"""Admin screens for the ZIP of a session's certificate PDFs: the button's page, the job's progress, the download.

Open to the academy's admins and the session's trainers (courses.permissions.can_manage_session); everyone
else gets 403, whatever the address. The work is in certificates/services/session_zip.py.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.defaults import permission_denied
from wagtail.admin import messages

from academy.errors import DomainError, PermissionDeniedError
from certificates.models import SessionCertificateZip
from certificates.services import session_zip
from courses.models import Session


class NotYours(Exception):
    """The session exists but is not this user's to download: a plain 403 (Wagtail would redirect a
    PermissionDenied to the dashboard, ambiguous for people and scripts)."""


def forbidden_as_403(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (NotYours, PermissionDeniedError) as error:
            return permission_denied(request, PermissionDenied(str(error)))

    return wrapped


def _session(request, session_id):
    session = get_object_or_404(Session.objects.select_related("course"), pk=session_id)
    if not session_zip.can_download(request.user, session):
        raise NotYours
    return session


def _job(request, pk):
    job = get_object_or_404(SessionCertificateZip.objects.select_related("session__course"), pk=pk)
    if not session_zip.can_download(request.user, job.session):
        raise NotYours
    return job


@forbidden_as_403
@require_http_methods(["GET", "POST"])
def session_zip_view(request, session_id):
    """GET: the session's ZIPs and the button; POST: the ZIP at once (small session) or a background job."""
    session = _session(request, session_id)
    if request.method == "POST":
        try:
            kind, result = session_zip.request_zip(session, request.user)
        except PermissionDeniedError:
            raise
        except DomainError as error:
            messages.error(request, str(error.message))
            return redirect("certificate_zips:session", session.pk)
        if kind == "now":
            name, content = result
            response = HttpResponse(content, content_type="application/zip")
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        messages.success(request, _("The ZIP is being built; this page shows its progress."))
        return redirect("certificate_zips:job", result.pk)
    context = {
        "page_title": _("Certificates of the session as ZIP"),
        "header_title": _("Certificates of the session as ZIP"),
        "session": session,
        "count": session_zip.zip_certificates(session).count(),
        "stream_limit": session_zip.stream_limit(),
        "jobs": SessionCertificateZip.objects.filter(session=session)[:5],
    }
    return TemplateResponse(request, "certificates/admin/session_zip.html", context)


@forbidden_as_403
def zip_job_view(request, pk):
    job = _job(request, pk)
    context = {
        "page_title": _("Certificates of the session as ZIP"),
        "header_title": _("Certificates of the session as ZIP"),
        "session": job.session,
        "job": job,
    }
    return TemplateResponse(request, "certificates/admin/session_zip_job.html", context)


@forbidden_as_403
def zip_download(request, pk):
    job = _job(request, pk)
    try:
        name, handle = session_zip.open_download(job, request.user)
    except PermissionDeniedError:
        raise
    except DomainError as error:
        raise Http404(str(error.message)) from error
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/zip")


urlpatterns = [
    path("sessions/<int:session_id>/", session_zip_view, name="session"),
    path("<int:pk>/", zip_job_view, name="job"),
    path("<int:pk>/download/", zip_download, name="download"),
]
