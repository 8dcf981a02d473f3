"""Who may see which certificate: its holder and the academy's admins."""

from academy.roles import is_academy_admin
from certificates.models import Certificate


def can_view_certificate(user, certificate):
    if not (user and user.is_authenticated):
        return False
    return certificate.user_id == user.pk or is_academy_admin(user)


def certificates_visible_to(user):
    if not (user and user.is_authenticated):
        return Certificate.objects.none()
    if is_academy_admin(user):
        return Certificate.objects.all()
    return Certificate.objects.of(user)


def own_certificates(user):
    """The holder's certificates for "My certificates": newest first, replaced ones left out."""
    return (
        Certificate.objects.of(user)
        .exclude(status="replaced")
        .select_related("template")
        .order_by("-issued_at", "-pk")
    )
