"""The printed wording of a certificate, in each language it can carry.

A certificate prints its languages whatever the reader's language is, so its wording is data
(like the seed texts), not an interface string: the long texts are defaults of the template's
fields, which admins edit per template; the short labels below are fixed.
"""

CERTIFICATE_LANGUAGES = ("ky", "ru", "en")

DEFAULT_TEXTS = {
    "ky": {
        "heading": "СЕРТИФИКАТ",
        "intro": "Ушул сертификат менен тастыкталат:",
        "body": "төмөнкү программа боюнча квалификацияны жогорулатуу окуусун ийгиликтүү аяктады",
    },
    "ru": {
        "heading": "СЕРТИФИКАТ",
        "intro": "Настоящим удостоверяется, что",
        "body": "успешно прошёл(а) обучение по программе повышения квалификации",
    },
    "en": {
        "heading": "CERTIFICATE",
        "intro": "This is to certify that",
        "body": "has successfully completed the qualification-improvement course",
    },
}

LABELS = {
    "ky": {
        "number": "Каттоо №",
        "dates": "Окуу мөөнөтү",
        "hours": "Академиялык саат",
        "trainers": "Тренерлер",
        "issued": "Берилген күнү",
        "licence": "Лицензия №",
        "verify": "Текшерүү",
        "revoked": "ЖОККО ЧЫГАРЫЛДЫ",
        "replaced": "АЛМАШТЫРЫЛДЫ",
        "sample": "ҮЛГҮ",
    },
    "ru": {
        "number": "Рег. №",
        "dates": "Период обучения",
        "hours": "Академических часов",
        "trainers": "Тренеры",
        "issued": "Дата выдачи",
        "licence": "Лицензия №",
        "verify": "Проверка",
        "revoked": "АННУЛИРОВАН",
        "replaced": "ЗАМЕНЁН",
        "sample": "ОБРАЗЕЦ",
    },
    "en": {
        "number": "No.",
        "dates": "Training dates",
        "hours": "Academic hours",
        "trainers": "Trainers",
        "issued": "Issued on",
        "licence": "Licence No.",
        "verify": "Verify",
        "revoked": "REVOKED",
        "replaced": "REPLACED",
        "sample": "SAMPLE",
    },
}


def default_text(language, key):
    return DEFAULT_TEXTS[language][key]
