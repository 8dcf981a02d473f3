# Kyrgyz date and time formats (Django format module; see academy.formats).
# Kyrgyz writes the year first and the month in its possessive form: "2026-жылдын 19-декабры".
# Django's own catalogue gives the nominative "Декабрь" for `E`, so the project catalogue overrides
# the "alt. month" names, and academy.formats substitutes the names below itself to depend on neither.
DATE_FORMAT = "Y-жылдын j-E"
DATETIME_FORMAT = "Y-жылдын j-E, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "Y-жылдын F айы"
MONTH_DAY_FORMAT = "j-E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
# Not a Django format name: read by academy.formats for "weekday and date" (a programme day).
WEEKDAY_DATE_FORMAT = "j-E, l"
# A span of days: "2026-жылдын 19–20-декабры", "2026-жылдын 30-ноябры – 2-декабры" (first day, separator, last day).
DATE_RANGE_FORMATS = {"same_month": ("Y-жылдын j", "–", "j-E"), "same_year": ("Y-жылдын j-E", " – ", "j-E")}
FIRST_DAY_OF_WEEK = 1

# Month names as a date writes them ("19-декабры"), and as a name on their own ("декабрь").
MONTHS_IN_DATES = (
    "январы",
    "февралы",
    "марты",
    "апрели",
    "майы",
    "июну",
    "июлу",
    "августу",
    "сентябры",
    "октябры",
    "ноябры",
    "декабры",
)
MONTHS = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)
WEEKDAYS = ("дүйшөмбү", "шейшемби", "шаршемби", "бейшемби", "жума", "ишемби", "жекшемби")
