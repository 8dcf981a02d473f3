"""Access helpers of the trainers' session pages (knowledge tests, action plans): the session, or 404 / 403."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from courses.models import Session
from courses.permissions import can_manage_session


def session_title(session):
    return session.title or session.course.localized.title


def managed_session(request, session_id):
    """The session (with its course) when the signed-in user is one of its trainers or an academy admin.
    No such session: 404; anyone else: 403 with a translated message."""
    session = get_object_or_404(Session.objects.select_related("course"), pk=session_id)
    if not can_manage_session(request.user, session):
        raise PermissionDenied(_("Only the trainers of this session and academy admins can open this page."))
    return session
