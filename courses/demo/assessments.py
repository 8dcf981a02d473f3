"""Demo knowledge tests (issue 19.1): the Batken training's pre-test and post-test (idempotent).

Seven questions about local self-government (the local budget, citizens' participation, municipal services), in
Kyrgyz and Russian with English, go into the bank of the course of the past Batken session (context["sessions"]
["batken_past"], else the earliest past session with participants). The session's trainer builds both tests,
opens each at the start and end of the training, and every confirmed participant answers both, so the results
show a gain (one participant does no better). Everything goes through courses.services.assessments; running it
again creates nothing new.
"""

from datetime import timedelta

from courses.demo.catalogue import past_batken_session
from courses.models import Attempt, Choice, Question, QuestionKind, RegistrationStatus, Session
from courses.services import assessments as service

ORDER = 46  # after the demo attendance (45), which confirms the past sessions' registrations

# (kind, (ky, ru, en), [((ky, ru, en), correct), ...])
QUESTIONS = [
    (
        QuestionKind.SINGLE,
        (
            "Айыл аймагынын жергиликтүү бюджетин ким бекитет?",
            "Кто утверждает местный бюджет айылного аймака?",
            "Who approves the local budget of an ayil aimak?",
        ),
        [
            (("Айыл өкмөтүнүн башчысы", "Глава айыл окмоту", "The head of the ayil okmotu"), False),
            (("Айылдык кеңеш", "Айылный кенеш", "The ayil kenesh (local council)"), True),
            (
                (
                    "Райондук мамлекеттик администрация",
                    "Районная государственная администрация",
                    "The district administration",
                ),
                False,
            ),
            (("Финансы министрлиги", "Министерство финансов", "The Ministry of Finance"), False),
        ],
    ),
    (
        QuestionKind.TRUE_FALSE,
        (
            "Жергиликтүү бюджеттин долбоору бекитилгенге чейин коомдук угууларда талкууланышы керек.",
            "Проект местного бюджета до утверждения должен обсуждаться на публичных слушаниях.",
            "The draft local budget must be discussed at public hearings before it is approved.",
        ),
        [(("Туура", "Верно", "True"), True), (("Туура эмес", "Неверно", "False"), False)],
    ),
    (
        QuestionKind.SINGLE,
        (
            "Төмөнкүлөрдүн кайсынысы айыл аймагынын бюджетинин өз кирешеси болуп саналат?",
            "Что из перечисленного является собственным доходом бюджета айылного аймака?",
            "Which of these is an own revenue of the ayil aimak budget?",
        ),
        [
            (("Жер салыгы", "Земельный налог", "Land tax"), True),
            (("Кошумча нарк салыгы", "Налог на добавленную стоимость", "Value added tax"), False),
            (("Бажы алымдары", "Таможенные пошлины", "Customs duties"), False),
        ],
    ),
    (
        QuestionKind.MULTIPLE,
        (
            "Жарандардын жергиликтүү өз алдынча башкарууга катышуусунун формаларын белгилеңиз.",
            "Отметьте формы участия граждан в местном самоуправлении.",
            "Mark the forms of citizens' participation in local self-government.",
        ),
        [
            (("Коомдук угуулар", "Публичные слушания", "Public hearings"), True),
            (("Жергиликтүү демилгелер", "Местные инициативы", "Local initiatives"), True),
            (
                (
                    "Жергиликтүү коомчулуктун жыйындары (курултайлар)",
                    "Собрания (курултаи) местного сообщества",
                    "Meetings (kurultais) of the local community",
                ),
                True,
            ),
            (
                (
                    "Айыл өкмөтүнүн башчысын облус губернатору дайындашы",
                    "Назначение главы айыл окмоту губернатором области",
                    "The regional governor appointing the head of the ayil okmotu",
                ),
                False,
            ),
        ],
    ),
    (
        QuestionKind.TRUE_FALSE,
        (
            "Жергиликтүү бюджеттин аткарылышы тууралуу отчетту калкка жарыялоонун кереги жок.",
            "Отчёт об исполнении местного бюджета не нужно публиковать для населения.",
            "The report on the execution of the local budget need not be published for the population.",
        ),
        [(("Туура", "Верно", "True"), False), (("Туура эмес", "Неверно", "False"), True)],
    ),
    (
        QuestionKind.MULTIPLE,
        (
            "Муниципалдык кызмат көрсөтүүнүн стандартында эмнелер көрсөтүлөт?",
            "Что указывается в стандарте муниципальной услуги?",
            "What does the standard of a municipal service state?",
        ),
        [
            (("Кызматты көрсөтүү мөөнөтү", "Срок предоставления услуги", "How long the service takes"), True),
            (("Акысы же акысыз экени", "Платная она или бесплатная", "Whether it is paid or free"), True),
            (
                ("Керектүү документтердин тизмеси", "Перечень необходимых документов", "The list of documents needed"),
                True,
            ),
            (("Кызматкерлердин айлык акысы", "Зарплата сотрудников", "The staff's salaries"), False),
        ],
    ),
    (
        QuestionKind.SINGLE,
        (
            "Айыл тургундарынын муктаждыктарын аныктап, аларды бюджетке киргизүү үчүн кайсы ыкма колдонулат?",
            "Какой метод используют, чтобы выявить потребности жителей и учесть их в бюджете?",
            "Which method is used to find the residents' needs and bring them into the budget?",
        ),
        [
            (
                (
                    "Муктаждыктарды катышуучулук менен баалоо",
                    "Партисипативная оценка потребностей",
                    "Participatory needs assessment",
                ),
                True,
            ),
            (
                ("Өткөн жылдын бюджетин көчүрүү", "Копирование бюджета прошлого года", "Copying last year's budget"),
                False,
            ),
            (("Райондон келген буйрук", "Указание из района", "An order from the district"), False),
        ],
    ),
]

# How many of the seven questions each participant gets right (pre, post), in turn; the last does no better.
PATTERN = [(3, 6), (2, 6), (4, 7), (3, 5), (2, 5), (4, 6), (3, 6), (4, 4)]


def _bank(course):
    questions = []
    for kind, (text_ky, text_ru, text_en), choices in QUESTIONS:
        question = Question.objects.filter(course=course, text_ky=text_ky).first()
        if question is None:
            question = Question.objects.create(
                course=course, kind=kind, text_ky=text_ky, text_ru=text_ru, text_en=text_en
            )
            for position, ((ky, ru, en), correct) in enumerate(choices):
                Choice.objects.create(
                    question=question, text_ky=ky, text_ru=ru, text_en=en, is_correct=correct, sort_order=position
                )
        questions.append(question)
    return questions


def _answers(questions, right):
    """Right answers to the first `right` questions, a wrong choice for the others."""
    answers = {}
    for index, question in enumerate(questions):
        choices = list(Choice.objects.filter(question=question).order_by("sort_order", "pk"))
        correct = [choice.pk for choice in choices if choice.is_correct]
        answers[question.pk] = correct if index < right else [next(c.pk for c in choices if not c.is_correct)]
    return answers


def seed(context):
    session = past_batken_session(context)
    if session is None:
        return "no past session"
    session = Session.objects.select_related("course").get(pk=session.pk)
    trainer = session.trainers.first()
    if trainer is None:
        return "the session has no trainer"
    questions = _bank(session.course)
    registrations = list(
        session.registrations.filter(status=RegistrationStatus.CONFIRMED).select_related("user").order_by("pk")
    )
    created = 0
    for kind, opened_at, column in (
        ("pre", session.starts_at, 0),
        ("post", session.ends_at - timedelta(minutes=30), 1),
    ):
        test = service.ensure_test(trainer, session, kind, questions=questions)
        if test.opened_at is None:
            service.open_test(trainer, test, 15, now=opened_at)
        done = set(Attempt.objects.filter(test=test).values_list("registration_id", flat=True))
        for index, registration in enumerate(registrations):
            if registration.pk in done:
                continue
            right = PATTERN[index % len(PATTERN)][column]
            if index == len(registrations) - 1 and registrations:
                # The last participant took a paper copy: the trainer typed it in.
                service.enter_paper(trainer, test, registration.pk, _answers(questions, right), now=opened_at)
            else:
                service.submit(
                    registration.user, test, _answers(questions, right), now=opened_at + timedelta(minutes=9)
                )
            created += 1
        if test.closed_at is None:
            service.close_test(trainer, test, now=opened_at + timedelta(minutes=15))
    return f"{len(questions)} questions, {created} new attempts"
