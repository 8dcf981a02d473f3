"""Filters of the course catalogue and of session lists (public pages and the API).

An unknown value is a form error: the HTML pages show it beside the field, the API answers 400
with the field named.
"""

from datetime import date, datetime

import django_filters
import django_filters.fields
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from academy.api.errors import MAX_ID, fits_an_id
from academy.models import Language, Municipality, Region
from courses.models import Audience, CoursePage, DeliveryLanguage, Session, SessionFormat, SessionStatus, Topic


class MonthField(forms.DateField):
    """A month written as YYYY-MM; cleans to the first day of that month."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m"]
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM, for example 2026-03.")}


TRUE_WORDS = {"true", "1", "yes", "on"}
FALSE_WORDS = {"false", "0", "no", "off"}


class YesNoSelect(forms.Select):
    """A yes/no filter as a choice of Any / Yes / No; the address keeps `true` / `false`.

    Unlike Django's NullBooleanSelect it hands the submitted text on unchanged, so that a value
    that is neither (`?has_seats=maybe`) is an error rather than silently "any".
    """

    def __init__(self, attrs=None):
        choices = [("", pgettext_lazy("yes/no filter", "Any")), ("true", _("Yes")), ("false", _("No"))]
        super().__init__(attrs, choices=choices)

    def format_value(self, value):
        text = str(value).strip().lower() if value is not None else ""
        if text in TRUE_WORDS:
            return ["true"]
        if text in FALSE_WORDS:
            return ["false"]
        return [""]


class StrictBooleanField(forms.Field):
    """`true` or `false` (also 1/0, yes/no, on); anything else is an error rather than ignored."""

    widget = YesNoSelect
    default_error_messages = {"invalid": _("Enter true or false.")}
    TRUE = TRUE_WORDS
    FALSE = FALSE_WORDS

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


class IdChoiceField(django_filters.fields.ModelChoiceField):
    """An object by its id; a value that cannot be an id is an unknown choice, never a failed lookup."""

    def to_python(self, value):
        given = value not in self.empty_values and not isinstance(value, self.queryset.model)
        if given and not fits_an_id(str(value).strip()):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return super().to_python(value)


class IdChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = IdChoiceField


class TrainerIdFilter(django_filters.NumberFilter):
    """A person's id: a whole number within the id range (so too wide an id is a 400 on every database,
    not an overflow on SQLite and an empty list on PostgreSQL)."""

    field_class = forms.IntegerField


class OneChoicePerCourse(django_filters.fields.ModelChoiceIterator):
    """One option per course, in the active language where the course has that version.

    Courses are Wagtail pages with a page per language (sharing a translation key): listing the
    queryset would offer each course once per language.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for page in one_page_per_course(self.queryset):
            yield self.choice(page)

    def __len__(self):
        return len(list(iter(self)))

    def __bool__(self):
        return True


def one_page_per_course(pages):
    """Each live course once: its version in the active language, else its first version; by title."""
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    chosen = {}
    for page in pages.live().select_related("locale").order_by("pk"):
        current = chosen.get(page.translation_key)
        if current is None or (
            page.locale.language_code == language and current.locale.language_code != language
        ):
            chosen[page.translation_key] = page
    return sorted(chosen.values(), key=lambda page: (page.title.casefold(), page.pk))


class CourseChoiceField(IdChoiceField):
    """Any language version of a course is accepted (the filter matches all of them); one is offered."""

    iterator = OneChoicePerCourse


class CourseFilterField(django_filters.ModelChoiceFilter):
    field_class = CourseChoiceField


class CodeOrIdChoiceField(django_filters.fields.ModelChoiceField):
    """Accepts an object's numeric id or its `code`."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if text.isdigit() and not fits_an_id(text):  # "¹", or wider than any id: the lookup would fail
            lookup = None
        else:
            lookup = {"pk": int(text)} if text.isdigit() else {"code": text}
        try:
            if lookup is None:
                raise self.queryset.model.DoesNotExist
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
    """Topics of live courses, named and ordered in the reader's language."""
    return Topic.objects.filter(coursepage__live=True).distinct().by_name()


class CourseFilter(django_filters.FilterSet):
    """The catalogue page. Session filters (oblast, month, format, free seats) apply together to one
    upcoming session of the course."""

    q = django_filters.CharFilter(label=_("Search"), method="keep", max_length=200)
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"), field_name="topics", to_field_name="code", queryset=_topics, empty_label=_("Any topic")
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

    course = CourseFilterField(
        label=_("Course"), queryset=CoursePage.objects.all(), method="filter_course", empty_label=_("Any course")
    )
    oblast = CodeOrIdFilter(
        label=_("Oblast"), queryset=Region.objects.all(), method="filter_oblast", empty_label=_("Anywhere")
    )
    municipality = CodeOrIdFilter(
        label=_("Municipality"),
        queryset=Municipality.objects.all(),
        field_name="venue__municipality",
        empty_label=_("Any municipality"),
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"), choices=SessionFormat.choices, empty_label=_("Any format")
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=Language.choices, empty_label=_("Any language")
    )
    trainer = TrainerIdFilter(
        label=_("Trainer (user id)"), method="filter_trainer", min_value=1, max_value=MAX_ID
    )
    starts_after = django_filters.DateTimeFilter(label=_("Starts after"), field_name="starts_at", lookup_expr="gte")
    starts_before = django_filters.DateTimeFilter(
        label=_("Starts before"), field_name="starts_at", lookup_expr="lt"
    )
    month = MonthFilter(label=_("Month"), method="filter_month")
    has_seats = StrictBooleanFilter(label=_("Has free seats"), method="filter_has_seats")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SessionStatus.choices, empty_label=_("Any status"))

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
