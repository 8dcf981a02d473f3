"""The best-practice index's filters: oblast, topic, year and municipality kind, as a plain GET form.

Values are codes (`?region=batken&topic=citizens-budget&year=2021&kind=ayil_aimak`) so links read well
and survive a database reload. An unknown value is a form error shown beside its field; the other filters
still apply.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from academy.models import Municipality, Region
from cms.models import PracticePage, PracticeTopic


class PracticeFilter(django_filters.FilterSet):
    region = django_filters.ModelChoiceFilter(
        label=_("Oblast"),
        field_name="municipality__district__region",
        to_field_name="code",
        queryset=Region.objects.all(),
        empty_label=_("All oblasts"),
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        field_name="topics",
        to_field_name="code",
        queryset=PracticeTopic.objects.all(),
        empty_label=_("All topics"),
    )
    year = django_filters.ChoiceFilter(label=_("Year"), empty_label=_("All years"))
    kind = django_filters.ChoiceFilter(
        label=_("Municipality"),
        field_name="municipality__kind",
        choices=Municipality.Kind.choices,
        empty_label=_("All kinds"),
    )

    class Meta:
        model = PracticePage
        fields = ["region", "topic", "year", "kind"]

    def __init__(self, *args, index=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["region"].queryset = Region.objects.by_name()
        self.filters["topic"].queryset = PracticeTopic.objects.by_name()
        # Only the years some practice of this index has: a select never offers an empty year.
        years = PracticePage.objects.live().public().child_of(index) if index else PracticePage.objects.none()
        self.filters["year"].extra["choices"] = [
            (str(year), year) for year in years.order_by("-year").values_list("year", flat=True).distinct()
        ]

    def active_count(self):
        """How many filters carry a value (shown on the folded "Filters" button on phones)."""
        if not self.is_bound:
            return 0
        return sum(1 for name in self.form.fields if self.data.get(name) not in (None, ""))
