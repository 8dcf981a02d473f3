"""Who may do what with a session. Every view, API endpoint and admin screen asks here."""

from academy.roles import is_academy_admin, is_trainer


def can_manage_session(user, session):
    """Admins manage every session; a trainer manages the sessions they train."""
    if is_academy_admin(user):
        return True
    return is_trainer(user) and session.trainers.filter(pk=user.pk).exists()


def manageable_sessions(user, queryset=None):
    from courses.models import Session

    queryset = Session.objects.all() if queryset is None else queryset
    if is_academy_admin(user):
        return queryset
    if is_trainer(user):
        return queryset.filter(trainers=user).distinct()
    return queryset.none()


def can_schedule_sessions(user):
    return is_academy_admin(user) or is_trainer(user)
