"""Factories for the core objects. Area-specific factories live beside their tests."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth.models import Group

from academy.models import FundingProject, Municipality, Organization, Profile, User
from academy.roles import ACADEMY_ADMINS, PARTICIPANTS, TRAINERS

BISHKEK = ZoneInfo("Asia/Bishkek")


def bishkek(year, month, day, hour=9, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=BISHKEK)


def municipality(code="kyshtut"):
    return Municipality.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "pass-Word-123")

    @factory.post_generation
    def profile(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            ProfileFactory(user=obj, **kwargs)

    @factory.post_generation
    def group(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.groups.add(Group.objects.get_or_create(name=extracted)[0])


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory, profile=None)
    full_name = factory.Sequence(lambda n: f"Айгүл Токтосунова {n}")
    full_name_latin = factory.Sequence(lambda n: f"Aigul Toktosunova {n}")
    gender = "female"
    year_of_birth = 1985
    position = "Айыл өкмөтүнүн адиси"
    organization_kind = "ayil_okmotu"
    phone = factory.Sequence(lambda n: f"+996555{n:06d}")
    preferred_language = "ky"
    consent_given_at = factory.LazyFunction(lambda: datetime(2026, 1, 10, tzinfo=BISHKEK))
    consent_version = "2026-01"


def participant(**kwargs):
    return UserFactory(group=PARTICIPANTS, **kwargs)


def trainer(**kwargs):
    return UserFactory(group=TRAINERS, **kwargs)


def academy_admin(**kwargs):
    return UserFactory(group=ACADEMY_ADMINS, **kwargs)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Кыштут айыл өкмөтү {n}")
    kind = "ayil_okmotu"
    municipality = factory.LazyFunction(municipality)


class FundingProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingProject

    code = factory.Sequence(lambda n: f"project-{n}")
    donor = "MSDSP KG"
    name_ky = factory.Sequence(lambda n: f"Чек арадагы өнүгүү {n}")
    name_ru = factory.Sequence(lambda n: f"Приграничное развитие {n}")
    name_en = factory.Sequence(lambda n: f"Cross-border development {n}")
    starts_on = datetime(2026, 1, 1).date()
    ends_on = datetime(2027, 12, 31).date()


def make_course(index_page, title="Муниципалдык кызмат көрсөтүүлөр", **fields):
    from courses.models import CoursePage

    course = CoursePage(title=title, summary=fields.pop("summary", "Курс жөнүндө"), **fields)
    index_page.add_child(instance=course)
    course.save_revision().publish()
    course.refresh_from_db()
    return course


def make_session(course, *, starts_at=None, days=2, capacity=25, status="open", trainers=(), venue=None, **fields):
    from courses.models import Session

    starts_at = starts_at or bishkek(2026, 12, 15)
    session = Session.objects.create(
        course=course,
        starts_at=starts_at,
        ends_at=starts_at.replace(hour=18) + timedelta(days=days - 1),
        capacity=capacity,
        status=status,
        venue=venue,
        **fields,
    )
    if trainers:
        session.trainers.set(trainers)
        session.save()  # a ParentalManyToManyField is written to the database only when the session is saved
    return session


def make_agenda(session, blocks_per_day=2):
    from courses.models import AgendaItem

    items = []
    for day in session.days:
        for block in range(blocks_per_day):
            items.append(
                AgendaItem.objects.create(
                    session=session,
                    day=day,
                    starts_at=time(9 + block * 2),
                    ends_at=time(10 + block * 2, 30),
                    title=f"Сессия {len(items) + 1}",
                    sort_order=len(items),
                )
            )
    return items
