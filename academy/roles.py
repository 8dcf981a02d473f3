"""The three groups of people, and the questions every app asks about them."""

from academy.prepared import Prepared

PARTICIPANTS = "Participants"
TRAINERS = "Trainers"
ACADEMY_ADMINS = "Academy admins"
ALL_GROUPS = (PARTICIPANTS, TRAINERS, ACADEMY_ADMINS)


def _group_names(user):
    # Cached on the user object so a page that asks several times runs one query.
    if not hasattr(user, "_academy_groups"):
        user._academy_groups = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
    return user._academy_groups


def is_academy_admin(user):
    return bool(user and user.is_authenticated and (user.is_superuser or ACADEMY_ADMINS in _group_names(user)))


def is_trainer(user):
    return bool(user and user.is_authenticated and TRAINERS in _group_names(user))


def is_staff_member(user):
    """Trainers and admins: people who run sessions."""
    return is_academy_admin(user) or is_trainer(user)


def _officer_ids(user):
    from academy.models import MunicipalityOfficer

    return MunicipalityOfficer.objects.filter(user_id=user).values("pk")[:1]


#: Whether someone is an officer at all, asked on "My trainings" by everyone: compiled once, planned once (most
#: people are not, and the record with its places is a four-table query to build and plan each time).
_IS_OFFICER = Prepared(_officer_ids, user=int)


def municipality_officer(user):
    """The MunicipalityOfficer record of `user` (with its municipality), or None; cached on the user object."""
    if not (user and user.is_authenticated):
        return None
    if not hasattr(user, "_academy_officer"):
        from academy.models import MunicipalityOfficer

        user._academy_officer = (
            MunicipalityOfficer.objects.select_related("municipality__district__region").filter(user=user).first()
            if _IS_OFFICER.first(user=user.pk) is not None
            else None
        )
    return user._academy_officer


def is_municipality_officer(user):
    return municipality_officer(user) is not None
