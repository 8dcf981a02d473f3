# Russian date and time formats (Django format module; see academy.formats): "19 декабря 2026 г., 14:30".
# `E` is Django's genitive month name in Russian ("декабря").
DATE_FORMAT = "j E Y г."
DATETIME_FORMAT = "j E Y г., H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y г."
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
WEEKDAY_DATE_FORMAT = "l, j E"
# A span of days: "19–20 декабря 2026 г.", "30 ноября – 2 декабря 2026 г." (first day, separator, last day).
DATE_RANGE_FORMATS = {"same_month": ("j", "–", "j E Y г."), "same_year": ("j E", " – ", "j E Y г.")}
FIRST_DAY_OF_WEEK = 1
