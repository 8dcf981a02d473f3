"""`manage.py seed_scale`: the volume asked for, consistent with the promises, deterministic, not twice by accident."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q

from academy.models import Profile, User
from bench import scale
from courses.models import Registration, Session, ShortLink

pytestmark = pytest.mark.django_db

SIZES = ["--people", "120", "--sessions", "30", "--registrations", "400", "--certificates", "40", "--courses", "3"]
TODAY = ["--today", "2026-12-01"]


def seed(*extra):
    out = StringIO()
    call_command("seed_scale", *SIZES, *TODAY, *extra, stdout=out)
    return out.getvalue()


def signature():
    """The generated data without database ids, to compare two runs."""
    sessions = list(
        scale.scale_sessions()
        .order_by("starts_at", "pk")
        .values_list("course__slug", "starts_at", "capacity", "status", "format", "language")
    )
    registrations = list(
        Registration.objects.filter(session__in=scale.scale_sessions())
        .order_by("session__starts_at", "session_id", "created_at", "pk")
        .values_list("user__email", "status", "created_at", "completed_at", "attendance_percent")
    )
    people = list(scale.scale_users().order_by("email").values_list("email", "profile__full_name", "profile__gender"))
    codes = sorted(ShortLink.objects.values_list("code", flat=True))
    return sessions, registrations, people, codes


def test_generates_the_sizes_asked_for(course_index):
    output = seed()
    assert "Scale set ready in" in output
    assert scale.scale_users().count() == 120
    assert Profile.objects.filter(user__in=scale.scale_users()).count() == 120
    assert scale.scale_courses().count() == 3
    assert scale.scale_sessions().count() == 30
    assert Registration.objects.filter(session__in=scale.scale_sessions()).count() == 400
    assert scale.scale_courses().filter(live=True).count() == 3
    assert ShortLink.objects.exists()
    # Written with the rollup triggers off (reports.rollups.bulk.paused), every rollup was rebuilt at the end.
    from reports.models import PersonRollup, SessionRollup
    from reports.rollups import bulk

    assert PersonRollup.objects.exists() and SessionRollup.objects.exists()
    assert all(module.differences() == [] for module in bulk.MODULES)


def test_never_more_confirmed_than_seats_and_one_registration_per_person(course_index):
    seed()
    overbooked = (
        Session.objects.annotate(confirmed=Count("registrations", filter=Q(registrations__status="confirmed")))
        .filter(confirmed__gt=F("capacity"))
        .count()
    )
    assert overbooked == 0
    duplicates = (
        Registration.objects.values("session_id", "user_id").annotate(count=Count("pk")).filter(count__gt=1).count()
    )
    assert duplicates == 0
    completed = Registration.objects.filter(completed_at__isnull=False)
    assert completed.exists()
    assert not completed.exclude(status="confirmed").exists()
    assert not completed.filter(session__ends_at__gt=F("completed_at")).exists()
    assert not Registration.objects.filter(session__status="draft").exists()


def test_same_seed_same_data(course_index):
    seed()
    first = signature()
    seed("--force")
    assert signature() == first


def test_another_seed_other_data(course_index):
    seed()
    first = signature()
    seed("--force", "--seed", "7")
    assert signature()[1] != first[1]


def test_refuses_to_run_twice_without_force_or_append(course_index):
    seed()
    with pytest.raises(CommandError, match="--force"):
        seed()
    assert scale.scale_users().count() == 120


def test_append_adds_a_second_set(course_index):
    seed()
    seed("--append")
    assert scale.scale_users().count() == 240
    assert scale.scale_sessions().count() == 60
    assert User.objects.filter(email__endswith="@" + scale.SCALE_EMAIL_DOMAIN).values("email").distinct().count() == 240


def test_certificates_are_numbered_without_gaps_with_unique_codes(course_index):
    model = scale.certificate_model()
    if model is None:
        pytest.skip("the certificates app has no Certificate table yet")
    from certificates.models import CertificateCounter

    seed()
    certificates = model.objects.all()
    assert certificates.count() == 40
    assert certificates.values("code").distinct().count() == 40
    for year, last in CertificateCounter.objects.values_list("year", "last_number"):
        numbers = sorted(certificates.filter(year=year).values_list("sequence", flat=True))
        assert numbers == list(range(1, last + 1))
    assert not certificates.exclude(registration__completed_at__isnull=False).exists()


def test_force_removes_everything_it_generated(course_index, participant):
    seed()
    scale.purge_scale_set(log=lambda message: None)
    model = scale.certificate_model()
    if model is not None:
        assert not model.objects.exists()
    assert not scale.scale_users().exists()
    assert not scale.scale_courses().exists()
    assert not scale.scale_sessions().exists()
    assert User.objects.filter(pk=participant.pk).exists()  # people it did not generate stay


def test_works_without_any_page_tree(db):
    """On a fresh database (migrations only) it creates the home and catalogue pages it needs."""
    seed()
    assert scale.scale_courses().count() == 3


def test_bad_sizes_are_refused(course_index):
    with pytest.raises(CommandError):
        call_command("seed_scale", "--people", "-1", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("seed_scale", "--sessions", "5", "--courses", "0", stdout=StringIO())
    assert not scale.scale_users().exists()


def test_presets_scale_down_from_the_target():
    assert scale.PRESETS["target"] == scale.ScaleSizes(
        people=100_000, sessions=10_000, registrations=300_000, certificates=50_000, courses=50
    )
    small = scale.PRESETS["small"]
    assert small.people == 5_000 and small.sessions == 500 and small.registrations == 15_000


def test_dates_follow_today(course_index):
    seed()
    latest = scale.scale_sessions().order_by("-starts_at").first().starts_at.date()
    assert date(2026, 12, 1) < latest <= date(2027, 6, 1)
