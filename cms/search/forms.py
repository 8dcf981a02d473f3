"""The search form: the query, and the type, oblast and year filters, checked with clear messages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from academy.models import Region
from cms.search import registry
from cms.search.text import MAX_QUERY_LENGTH, MAX_WORDS, MIN_WORD_LENGTH, WORD, normalize, query_stems

FIRST_YEAR, LAST_YEAR = 1991, 2100


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, strip=True)
    type = forms.ChoiceField(label=_("Type"), required=False)
    region = forms.ModelChoiceField(
        label=_("Oblast"), queryset=Region.objects.none(), to_field_name="code", required=False, empty_label=_("All")
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("Everything"))] + [
            (provider.kind, provider.label_plural) for provider in registry.providers()
        ]
        self.fields["region"].queryset = Region.objects.by_name()
        self.fields["region"].error_messages["invalid_choice"] = _("There is no such oblast.")
        self.fields["type"].error_messages["invalid_choice"] = _("There is no such type.")
        self.fields["year"].error_messages["invalid"] = _("Give the year as a number, e.g. 2024.")

    def clean_q(self):
        query = (self.cleaned_data.get("q") or "").replace("\x00", "")
        if not query:
            return ""
        if len(query) > MAX_QUERY_LENGTH:
            raise forms.ValidationError(
                _("The search is too long: up to %(max)s characters."), params={"max": MAX_QUERY_LENGTH}
            )
        if not query_stems(query):
            raise forms.ValidationError(
                _("Type at least one word of %(min)s letters or more."), params={"min": MIN_WORD_LENGTH}
            )
        return query

    @property
    def stems(self):
        return query_stems(self.cleaned_data.get("q", ""))

    @property
    def words(self):
        query = normalize(self.cleaned_data.get("q", ""))
        return [word for word in WORD.findall(query) if len(word) >= MIN_WORD_LENGTH][:MAX_WORDS]
