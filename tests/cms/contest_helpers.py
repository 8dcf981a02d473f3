"""Fixtures of the contest tests: a contest page per language, an open round with three criteria, people."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from cms.services.site import ensure_child, translate_page
from tests import factories


def jpeg(name="photo.jpg", size=(40, 30)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 120, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def pdf(name="plan.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "application/pdf")


def entry(**overrides):
    return {
        "title": "Кыштут: суу түтүгү",
        "summary": "Айыл өкмөтү жамаат менен бирге суу түтүгүн өткөрдү.",
        "year": "2025",
        "problem": "Суу жетишпейт.\n\nАйылда 3 көчө суусуз.",
        "what_was_done": "Жамаат акча чогултту.",
        "partners": "MSDSP KG",
        "contact_name": "Бакыт Асанов",
        "contact_phone": "+996555000111",
        **overrides,
    }


def make_round(year=2026, *, open_=True, jury=()):
    from cms.models import ContestCriterion, ContestRound

    contest_round = ContestRound.objects.create(
        year=year,
        title_ky=f"{year}-жылдын мыкты тажрыйбалар сынагы",
        title_ru=f"Конкурс лучших практик {year} года",
        title_en=f"Best practice contest {year}",
        deadline=timezone.now() + timedelta(days=30 if open_ else -1),
        winners_count=2,
    )
    for order, (ky, ru, en, weight, max_points) in enumerate(
        [
            ("Натыйжа", "Результат", "Results", 3, 10),
            ("Жарандардын катышуусу", "Участие граждан", "Citizen participation", 2, 10),
            ("Кайталоого мүмкүндүгү", "Воспроизводимость", "Replicability", 1, 5),
        ]
    ):
        ContestCriterion.objects.create(
            round=contest_round,
            sort_order=order,
            name_ky=ky,
            name_ru=ru,
            name_en=en,
            weight=weight,
            max_points=max_points,
        )
    contest_round.jury.set(jury)
    contest_round.save()  # a parental many-to-many relation is written on save
    return contest_round


def editor(group="Moderators"):
    """An editor who may publish pages (Wagtail's Moderators; Academy admins may too)."""
    user = factories.UserFactory()
    user.groups.add(Group.objects.get(name=group))
    return user


def juror():
    user = factories.UserFactory()
    user.groups.add(Group.objects.get(name="Contest jury"))
    return user


@pytest.fixture
def contest_page(homes, practice_index):
    from cms.models import ContestPage

    page = ensure_child(homes["ky"], ContestPage, "contest", title="Мыкты тажрыйбалар сынагы")
    translate_page(page, "ru", title="Конкурс лучших практик")
    translate_page(page, "en", title="Best practice contest")
    return page


@pytest.fixture
def contest_round(db):
    return make_round()


@pytest.fixture
def mayor(db):
    """Speaks for Kyshtut."""
    return factories.participant(profile__municipality=factories.municipality("kyshtut"))


@pytest.fixture
def colleague(db):
    """Also speaks for Kyshtut."""
    return factories.participant(profile__municipality=factories.municipality("kyshtut"))


@pytest.fixture
def neighbour(db):
    """Speaks for another municipality."""
    return factories.participant(profile__municipality=factories.municipality("chet_nura"))


def accepted_entry(contest_round, user, title, reviewer=None):
    """An entry of `user`'s municipality that the editors approved (its practice page is published)."""
    from cms.contest.forms import text_to_html
    from cms.models import PracticePage
    from cms.services import contest

    data = {**entry(title=title), "year": 2025}
    data["problem"], data["what_was_done"] = text_to_html(data["problem"]), text_to_html(data["what_was_done"])
    submission = contest.create_submission(contest_round, user, data, submit=True)
    page = PracticePage.objects.get(pk=submission.practice_id)
    task_state = page.current_workflow_task_state
    task_state.task.specific.on_action(task_state, reviewer or editor(), "approve")
    submission.refresh_from_db()
    return submission
