"""A hand-counted district for the "who is due, where" tests. Today: 2026-12-01 (Bishkek).

Batken district (Batken oblast) has four municipalities: Kyshtut, Suu-Bashy, Samarkandek, Ak-Sai.

* A Kyshtut, servant: 80 h external, ended 2026-02-01 → up to date, due by 2029-02-01
* B Kyshtut, servant: 72 h external, ended 2023-12-20 → due soon, due by 2026-12-20
* C Suu-Bashy, servant: 40 h external, ended 2023-06-01 (no longer counts) → overdue, 0 h
* D Suu-Bashy, head: the 16 h course completed 2026-11-11 → overdue (heads need 72 h), 16 h
* E Samarkandek, deputy: 36 h external, ended 2025-05-01 → up to date (deputies need 36 h)
* Ak-Sai: nobody on record → "no one trained in three years"
* F Alamudun (Chui oblast), servant, never trained → overdue, outside Batken
"""

from dataclasses import dataclass
from datetime import date, timedelta

from certificates.models import ExternalTraining
from courses.models import Registration
from tests import factories

TODAY = date(2026, 12, 1)


def external(user, ends_on, hours, title="Муниципалдык бюджет"):
    return ExternalTraining.objects.create(
        user=user,
        title=title,
        provider="ЖӨБ союзу",
        starts_on=ends_on - timedelta(days=1),
        ends_on=ends_on,
        hours=hours,
    )


def person(name, municipality, position="Айыл өкмөтүнүн адиси"):
    return factories.participant(
        profile__full_name=name, profile__municipality=factories.municipality(municipality), profile__position=position
    )


@dataclass
class World:
    a: object
    b: object
    c: object
    d: object
    e: object
    f: object


def build_world(course):
    a = person("Асель Алиева", "kyshtut")
    b = person("Бакыт Бекова", "kyshtut")
    c = person("Чынара Чоробаева", "suu_bashy")
    d = person("Данияр Доолотов", "suu_bashy", position="Айыл өкмөтүнүн башчысы")
    e = person("Эркин Эсенов", "samarkandek", position="Жергиликтүү кеңештин депутаты")
    f = person("Фарида Фаизова", "alamudun")
    external(a, date(2026, 2, 1), 80)
    external(b, date(2023, 12, 20), 72)
    external(c, date(2023, 6, 1), 40)
    session = factories.make_session(course, starts_at=factories.bishkek(2026, 11, 10), status="completed")
    Registration.objects.create(
        session=session, user=d, status="confirmed", completed_at=factories.bishkek(2026, 11, 11, 18)
    )
    external(e, date(2025, 5, 1), 36)
    return World(a, b, c, d, e, f)
