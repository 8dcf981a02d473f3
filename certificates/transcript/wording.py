"""The printed wording of a transcript. Like a certificate's (wording.py), a transcript prints its languages
whatever the reader's language is, so these labels are data, not interface strings."""

TRANSCRIPT_LABELS = {
    "ky": {
        "heading": "Квалификацияны жогорулатуу боюнча көчүрмө",
        "holder": "Аты-жөнү",
        "issued": "Берилген күнү",
        "number": "№",
        "training": "Окуу",
        "provider": "Уюштуруучу",
        "dates": "Мөөнөтү",
        "hours": "Саат",
        "certificate": "Сертификат",
        "external": "сырткы окуу",
        "total": "Бардык академиялык саат",
        "rule": "Талап",
        "rule_text": "{years} {years_word} ичинде кеминде {hours} академиялык саат",
        "years_forms": ("жыл", "жыл", "жыл"),
        "in_cycle": "Учурдагы циклдеги саат ({start} баштап)",
        "due_by": "Кийинки окуу мөөнөтү",
        "status": "Абалы",
        "none": "Окуу жазылган эмес.",
        "verify": "Текшерүү",
        "page": "Барак",
        "up_to_date": "Мөөнөтүндө",
        "due_soon": "Мөөнөтү жакындады",
        "overdue": "Мөөнөтү өттү",
        "now": "азыр",
    },
    "ru": {
        "heading": "Выписка о повышении квалификации",
        "holder": "ФИО",
        "issued": "Дата выдачи",
        "number": "№",
        "training": "Обучение",
        "provider": "Организатор",
        "dates": "Период",
        "hours": "Часы",
        "certificate": "Сертификат",
        "external": "внешнее обучение",
        "total": "Всего академических часов",
        "rule": "Требование",
        "rule_text": "не менее {hours} академических часов за {years} {years_word}",
        "years_forms": ("год", "года", "лет"),
        "in_cycle": "Часов в текущем цикле (с {start})",
        "due_by": "Следующее обучение до",
        "status": "Статус",
        "none": "Обучение не записано.",
        "verify": "Проверка",
        "page": "Стр.",
        "up_to_date": "В срок",
        "due_soon": "Срок подходит",
        "overdue": "Просрочено",
        "now": "сейчас",
    },
    "en": {
        "heading": "Qualification transcript",
        "holder": "Name",
        "issued": "Issued on",
        "number": "No.",
        "training": "Training",
        "provider": "Provider",
        "dates": "Dates",
        "hours": "Hours",
        "certificate": "Certificate",
        "external": "external training",
        "total": "Total academic hours",
        "rule": "Requirement",
        "rule_text": "at least {hours} academic hours every {years} {years_word}",
        "years_forms": ("year", "years", "years"),
        "in_cycle": "Hours in the current cycle (since {start})",
        "due_by": "Next training due by",
        "status": "Status",
        "none": "No trainings recorded.",
        "verify": "Verify",
        "page": "Page",
        "up_to_date": "Up to date",
        "due_soon": "Due soon",
        "overdue": "Overdue",
        "now": "now",
    },
}


def years_word(language, years):
    """The word for `years` years in `language` (Russian: 1 год, 3 года, 5 лет)."""
    one, few, many = TRANSCRIPT_LABELS[language]["years_forms"]
    if years % 10 == 1 and years % 100 != 11:
        return one
    if 2 <= years % 10 <= 4 and not 12 <= years % 100 <= 14:
        return few
    return many


def rule_text(language, hours, years):
    return TRANSCRIPT_LABELS[language]["rule_text"].format(
        hours=hours, years=years, years_word=years_word(language, years)
    )
