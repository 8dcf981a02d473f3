"""Demo action plans (issue 19.3): the Batken training's joint action plan (БАП), followed up (idempotent).

The past Batken session of seed 001 (context["sessions"]["batken_past"], else the earliest past session with
participants) gets eight items across the five Batken municipalities of the seed (Kyshtut, Suu-Bashy,
Toguz-Bulak, Sumbula, Ken-Talaa) and one for the whole session: local services from the seed (water supply,
solid waste, street cleaning, parks and roads). Two items are the responsibility of people without an account
(no one to ask). They are reported as at the six-month follow-up: half done, two in progress, one dropped, one
not reported yet, with comments. The reports are dated the day the demo is seeded (the demo session ended
weeks ago, so the follow-ups themselves are still ahead and will be sent by the daily task when due).
Running it again creates nothing new.
"""

from datetime import timedelta

from django.utils import timezone

from academy.models import Municipality
from courses.demo.catalogue import past_batken_session
from courses.models import ActionPlanItem, ActionPlanReport, ActionPlanSource, RegistrationStatus

ORDER = 49  # after the demo attendance (45) and assessments (46): the past sessions have confirmed participants
ROUND = 6

# (municipality code or None, what, participant index or a name without an account, due in days, status, comment)
# fmt: off
ITEMS = [
    ("kyshtut", "Таза суу менен камсыз кылуу кызматынын тарифин коомдук угууда талкуулоо жана айылдык кеңешке сунуштоо", 0, 60, "done", "Коомдук угуу өттү, 64 жашоочу катышты; тариф айылдык кеңештин сессиясында бекитилди."),
    ("kyshtut", "Катуу тиричилик калдыктарын чогултуунун графигин жашоочуларга WhatsApp топтору жана жарыя тактасы аркылуу жеткирүү", 1, 30, "done", "График бардык көчөлөрдүн топторуна жиберилди, жарыя тактасына илинди."),
    ("suu_bashy", "Жаштардын демилгеси менен көчөлөрдү жана ариктерди тазалоо ишембилигин уюштуруу", "Айткозу уулу Алчынбек", 45, "done", "Эки ишембилик өттү, 3 км арык тазаланды."),
    ("suu_bashy", "Ички жолдорду оңдоо үчүн жергиликтүү бюджеттен жана жамааттын салымынан каражат чогултуу", 2, 150, "in_progress", "Бюджеттен 200 000 сом каралды, жамаат 80 000 сом чогултту; шагыл сатып алынууда."),
    ("toguz_bulak", "Ичүүчү суу түтүгүнүн 2 км бөлүгүн алмаштыруу боюнча долбоор даярдап, донорго берүү", 3, 120, "in_progress", "Долбоор даярдалды, донордун жообун күтүүдөбүз."),
    ("sumbula", "Айылдык парктын аймагын жамаат менен бирге көрктөндүрүү", "Эмилбек Жороев", 90, "done", "Парктын аймагы тазаланып, 120 көчөт отургузулду."),
    ("ken_talaa", "Таштанды ташуучу трактор сатып алуу", 4, 180, "dropped", "Быйыл каражат табылган жок; кийинки жылдын бюджетине киргизүү сунушталды."),
    (None, "Ийгиликтүү тажрыйбаларды ЖӨБдүн Мыкты тажрыйбалар порталына жана «Муниципалитет» журналына жиберүү", 5, 170, "not_reported", ""),
]
# fmt: on


def seed(context):
    session = past_batken_session(context)
    if session is None:
        return "no past session"
    if ActionPlanItem.objects.filter(session=session).exists():
        return "already there"
    now = context["now"]
    trainer = session.trainers.order_by("pk").first()
    people = [
        registration.user
        for registration in session.registrations.filter(status=RegistrationStatus.CONFIRMED)
        .select_related("user__profile")
        .order_by("pk")
    ]
    places = {place.code: place for place in Municipality.objects.filter(code__in=[row[0] for row in ITEMS if row[0]])}
    ends_on = timezone.localdate(session.ends_at)
    done = 0
    for code, what, who, due_in, status, comment in ITEMS:
        user = people[who] if isinstance(who, int) and who < len(people) else None
        name = user.display_name if user else (who if isinstance(who, str) else "Баткен облусунун ЖӨБ өкүлү")
        item = ActionPlanItem.objects.create(
            session=session,
            municipality=places.get(code) if code else None,
            what=what,
            responsible_name=name,
            responsible_user=user,
            due_date=ends_on + timedelta(days=due_in),
            source=ActionPlanSource.PARTICIPANT_PLAN if user else ActionPlanSource.TRAINER,
            created_by=trainer,
        )
        if status == "not_reported":
            continue
        ActionPlanReport.objects.create(
            item=item, round=ROUND, status=status, comment=comment, reported_by=user or trainer, reported_at=now
        )
        item.status, item.status_changed_at = status, now
        item.save(update_fields=["status", "status_changed_at"])
        done += status == "done"
    return f"{len(ITEMS)} action plan items, {done} done"
