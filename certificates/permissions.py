"""Wagtail admin permissions of the certificates app: academy admins only, and only the listed actions."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies import BasePermissionPolicy

from academy.roles import ACADEMY_ADMINS, is_academy_admin


class AcademyAdminPolicy(BasePermissionPolicy):
    """Academy admins may do `actions`; nobody else may do anything."""

    def __init__(self, model, actions=("add", "change", "delete", "view")):
        super().__init__(model)
        self.actions = frozenset(actions)

    def user_has_permission(self, user, action):
        return action in self.actions and is_academy_admin(user)

    def users_with_any_permission(self, actions):
        if not self.actions.intersection(actions):
            return get_user_model().objects.none()
        return get_user_model().objects.filter(
            Q(is_superuser=True) | Q(groups__name=ACADEMY_ADMINS), is_active=True
        ).distinct()


def register_policies():
    from wagtail.permissions import register_permission_policy

    from certificates.models import Certificate, CertificateTemplate, ExternalTraining, IssuanceBatch, QualificationRule

    register_permission_policy(CertificateTemplate, AcademyAdminPolicy(CertificateTemplate))
    # Issued certificates and batches are never edited or deleted in the admin: revocation and
    # reissue are their own screens.
    register_permission_policy(Certificate, AcademyAdminPolicy(Certificate, actions=("view",)))
    register_permission_policy(IssuanceBatch, AcademyAdminPolicy(IssuanceBatch, actions=("view",)))
    register_permission_policy(ExternalTraining, AcademyAdminPolicy(ExternalTraining))
    register_permission_policy(QualificationRule, AcademyAdminPolicy(QualificationRule))
