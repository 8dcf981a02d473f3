"""Dates and times as Kyrgyz, Russian and English readers write them, from academy.formats."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from academy.formats import format_date, format_range

# 08:30 UTC is 14:30 in Bishkek (UTC+6).
MOMENT = datetime(2026, 12, 19, 8, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "style", "expected"),
    [
        ("ky", "date", "2026-жылдын 19-декабры"),
        ("ky", "datetime", "2026-жылдын 19-декабры, 14:30"),
        ("ky", "short_date", "19.12.2026"),
        ("ky", "short_datetime", "19.12.2026 14:30"),
        ("ky", "time", "14:30"),
        ("ky", "month_day", "19-декабры"),
        ("ky", "weekday_date", "19-декабры, ишемби"),
        ("ky", "year_month", "2026-жылдын декабрь айы"),
        ("ru", "date", "19 декабря 2026 г."),
        ("ru", "datetime", "19 декабря 2026 г., 14:30"),
        ("ru", "short_date", "19.12.2026"),
        ("ru", "time", "14:30"),
        ("ru", "month_day", "19 декабря"),
        ("ru", "weekday_date", "Суббота, 19 декабря"),
        ("en", "date", "19 December 2026"),
        ("en", "datetime", "19 December 2026, 14:30"),
        ("en", "time", "14:30"),
        ("en", "weekday_date", "Saturday, 19 December"),
        ("en", "year_month", "December 2026"),
    ],
)
def test_each_style_in_each_language(language, style, expected):
    assert format_date(MOMENT, style, language) == expected


@pytest.mark.parametrize(
    ("month", "kyrgyz"),
    list(enumerate(
        ["январы", "февралы", "марты", "апрели", "майы", "июну", "июлу", "августу", "сентябры", "октябры", "ноябры", "декабры"],
        start=1,
    )),
)
def test_kyrgyz_months_take_their_possessive_form_in_dates(month, kyrgyz):
    assert format_date(date(2026, month, 5), "date", "ky") == f"2026-жылдын 5-{kyrgyz}"


def test_russian_months_are_genitive():
    assert format_date(date(2026, 3, 8), "date", "ru") == "8 марта 2026 г."
    assert format_date(date(2026, 5, 1), "date", "ru") == "1 мая 2026 г."


def test_the_active_language_is_the_default():
    with translation.override("ru"):
        assert format_date(date(2026, 12, 19)) == "19 декабря 2026 г."
    with translation.override("ky"):
        assert format_date(date(2026, 12, 19)) == "2026-жылдын 19-декабры"


def test_times_are_in_bishkek_whatever_the_active_time_zone():
    from django.utils import timezone

    with timezone.override("UTC"):
        assert format_date(datetime(2026, 12, 19, 20, 0, tzinfo=UTC), "datetime", "en") == (
            "20 December 2026, 02:00"
        )


def test_a_date_asked_with_a_time_is_written_without_one():
    assert format_date(date(2026, 12, 19), "datetime", "ky") == "2026-жылдын 19-декабры"
    assert format_date(date(2026, 12, 19), "time", "ky") == ""
    assert format_date(None) == ""


def test_unknown_style_is_refused():
    with pytest.raises(ValueError):
        format_date(MOMENT, "fancy")


@pytest.mark.parametrize(
    ("language", "same_month", "across_months", "across_years"),
    [
        ("ky", "2026-жылдын 19–20-декабры", "2026-жылдын 30-ноябры – 2-декабры", "2026-жылдын 30-декабры – 2027-жылдын 2-январы"),
        ("ru", "19–20 декабря 2026 г.", "30 ноября – 2 декабря 2026 г.", "30 декабря 2026 г. – 2 января 2027 г."),
        ("en", "19–20 December 2026", "30 November – 2 December 2026", "30 December 2026 – 2 January 2027"),
    ],
)
def test_date_ranges_write_a_shared_month_and_year_once(language, same_month, across_months, across_years):
    assert format_range(date(2026, 12, 19), date(2026, 12, 20), "date", language) == same_month
    assert format_range(date(2026, 11, 30), date(2026, 12, 2), "date", language) == across_months
    assert format_range(date(2026, 12, 30), date(2027, 1, 2), "date", language) == across_years
    assert format_range(date(2026, 12, 19), date(2026, 12, 19), "date", language) == format_date(
        date(2026, 12, 19), "date", language
    )


def test_a_range_within_one_day_gives_the_date_once_and_both_times():
    end = datetime(2026, 12, 19, 11, 0, tzinfo=UTC)
    assert format_range(MOMENT, end, "datetime", "ky") == "2026-жылдын 19-декабры, 14:30 – 17:00"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ky", "2026-жылдын 19-декабры|2026-жылдын 19-декабры, 14:30|2026-жылдын 19-декабры, 14:30 – 17:00|2026-жылдын 19-декабры"),
        ("ru", "19 декабря 2026 г.|19 декабря 2026 г., 14:30|19 декабря 2026 г., 14:30 – 17:00|19 декабря 2026 г."),
        ("en", "19 December 2026|19 December 2026, 14:30|19 December 2026, 14:30 – 17:00|19 December 2026"),
    ],
)
def test_template_filters_and_djangos_own_date_format_agree(language, expected):
    template = Template(
        "{% load academy_tags %}{{ moment|when }}|{{ moment|when:'datetime' }}|"
        "{{ moment|datetime_range:end }}|{{ moment|date:'DATE_FORMAT' }}"
    )
    end = datetime(2026, 12, 19, 11, 0, tzinfo=UTC)
    with translation.override(language):
        assert template.render(Context({"moment": MOMENT, "end": end})) == expected
