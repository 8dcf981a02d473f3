# English date and time formats (Django format module; see academy.formats): "19 December 2026, 14:30".
# Day before month and a 24-hour clock, as the academy's Kyrgyz and Russian readers expect.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
WEEKDAY_DATE_FORMAT = "l, j F"
# A span of days: "19–20 December 2026", "30 November – 2 December 2026" (first day, separator, last day).
DATE_RANGE_FORMATS = {"same_month": ("j", "–", "j F Y"), "same_year": ("j F", " – ", "j F Y")}
FIRST_DAY_OF_WEEK = 1
