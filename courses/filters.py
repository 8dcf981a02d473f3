"""Filters of the course catalogue and of session lists (public pages and the API).

An unknown value is a form error: the HTML pages show it beside the field, the API answers 400
with the field named.
"""

from datetime import date, datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from taggit.models import Tag

from academy.models import Language, Municipality, Region
from courses.models import Audience, CoursePage, DeliveryLanguage, Session, SessionFormat, SessionStatus


class MonthField(forms.DateField):
    """A month written as YYYY-MM; cleans to the first day of that month."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m"]
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM, for example 2026-03.")}


class StrictBooleanField(forms.Field):
    """`true` or `false` (also 1/0, yes/no, on); anything else is an error rather than ignored."""

    default_error_messages = {"invalid": _("Enter true or false.")}
    TRUE = {"true", "1", "yes", "on"}
    FALSE = {"false", "0", "no", "off"}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class CodeOrIdChoiceField(forms.ModelChoiceField):
    """Accepts an object's numeric id or its `code`."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        lookup = {"pk": int(text)} if text.isdigit() else {"code": text}
        try:
            return self.queryset.get(**lookup)
        except (ValueError, TypeError, self.queryset.model.DoesNotExist):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )


class CodeOrIdFilter(django_filters.ModelChoiceFilter):
    field_class = CodeOrIdChoiceField


class StrictBooleanFilter(django_filters.Filter):
    field_class = StrictBooleanField


class MonthFilter(django_filters.Filter):
    field_class = MonthField


def month_bounds(month):
    """The start of `month` (a date on its first day) and of the next month, in Bishkek time."""
    zone = timezone.get_default_timezone()
    start = datetime(month.year, month.month, 1, tzinfo=zone)
    following = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return start, datetime(following.year, following.month, 1, tzinfo=zone)


def _topics(request=None):
    return Tag.objects.filter(courses_coursetag_items__isnull=False).distinct().order_by("name")


class CourseFilter(django_filters.FilterSet):
    """The catalogue page. Session filters (oblast, month, format, free seats) apply together to one
    upcoming session of the course."""

    q = django_filters.CharFilter(label=_("Search"), method="keep", max_length=200)
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"), field_name="tags", to_field_name="slug", queryset=_topics, empty_label=_("Any topic")
    )
    audience = django_filters.ModelChoiceFilter(
        label=_("Audience"),
        field_name="audiences",
        to_field_name="code",
        queryset=Audience.objects.all(),
        empty_label=_("Anyone"),
    )
    language = django_filters.ModelChoiceFilter(
        label=_("Language"),
        field_name="languages",
        to_field_name="code",
        queryset=DeliveryLanguage.objects.all(),
        empty_label=_("Any language"),
    )
    oblast = django_filters.ModelChoiceFilter(
        label=_("Oblast"),
        to_field_name="code",
        queryset=Region.objects.all(),
        method="keep",
        empty_label=_("Anywhere"),
    )
    month = MonthFilter(label=_("Month"), method="keep")
    format = django_filters.ChoiceFilter(
        label=_("Format"), choices=SessionFormat.choices, method="keep", empty_label=_("Any format")
    )
    has_seats = django_filters.BooleanFilter(
        label=_("Has free seats"), method="keep", widget=forms.CheckboxInput
    )

    class Meta:
        model = CoursePage
        fields = []

    def __init__(self, *args, now=None, **kwargs):
        self.now = now or timezone.now()
        super().__init__(*args, **kwargs)

    def keep(self, queryset, name, value):
        """Filters handled together in `filter_queryset` (or, for `q`, by the search backend)."""
        return queryset

    def matching_sessions(self):
        """Upcoming sessions that satisfy the session filters, or None when none is set."""
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        sessions = Session.objects.upcoming(self.now)
        used = False
        if data.get("oblast"):
            sessions, used = sessions.in_region(data["oblast"]), True
        if data.get("month"):
            start, end = month_bounds(data["month"])
            sessions, used = sessions.filter(starts_at__gte=start, starts_at__lt=end), True
        if data.get("format"):
            sessions, used = sessions.filter(format=data["format"]), True
        if data.get("has_seats"):
            sessions, used = sessions.open_for_registration(self.now).has_free_seats(), True
        return sessions if used else None

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        sessions = self.matching_sessions()
        if sessions is not None:
            queryset = queryset.filter(translation_key__in=sessions.values("course__translation_key"))
        return queryset


class SessionFilter(django_filters.FilterSet):
    """Session lists: the API (`/api/v1/sessions/`) and the public session list."""

    course = django_filters.ModelChoiceFilter(
        label=_("Course"), queryset=CoursePage.objects.all(), method="filter_course"
    )
    oblast = CodeOrIdFilter(label=_("Oblast"), queryset=Region.objects.all(), method="filter_oblast")
    municipality = CodeOrIdFilter(
        label=_("Municipality"), queryset=Municipality.objects.all(), field_name="venue__municipality"
    )
    format = django_filters.ChoiceFilter(label=_("Format"), choices=SessionFormat.choices)
    language = django_filters.ChoiceFilter(label=_("Language"), choices=Language.choices)
    trainer = django_filters.NumberFilter(label=_("Trainer (user id)"), method="filter_trainer")
    starts_after = django_filters.DateTimeFilter(label=_("Starts after"), field_name="starts_at", lookup_expr="gte")
    starts_before = django_filters.DateTimeFilter(
        label=_("Starts before"), field_name="starts_at", lookup_expr="lt"
    )
    month = MonthFilter(label=_("Month"), method="filter_month")
    has_seats = StrictBooleanFilter(label=_("Has free seats"), method="filter_has_seats")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SessionStatus.choices)

    class Meta:
        model = Session
        fields = []

    def filter_course(self, queryset, name, value):
        return queryset.filter(course__translation_key=value.translation_key)

    def filter_oblast(self, queryset, name, value: Region):  # the hint types it for the schema (code or id)
        return queryset.in_region(value)

    def filter_trainer(self, queryset, name, value):
        taught = Session.trainers.through.objects.filter(user_id=value).values("session_id")
        return queryset.filter(pk__in=taught)

    @extend_schema_field(
        {"type": "string", "pattern": r"^\d{4}-(0?[1-9]|1[0-2])$", "example": "2026-03", "description": _("Month")}
    )
    def filter_month(self, queryset, name, value):
        start, end = month_bounds(value)
        return queryset.filter(starts_at__gte=start, starts_at__lt=end)

    def filter_has_seats(self, queryset, name, value: bool):  # the hint types it for the schema
        if value is None:
            return queryset
        # The list querysets are annotated with `seats_left` (Session.objects.with_seats()).
        return queryset.filter(seats_left__gt=0) if value else queryset.filter(seats_left=0)
