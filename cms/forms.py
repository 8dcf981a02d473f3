"""Admin forms of content pages that check more than one field or page (Wagtail's `base_form_class`)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class JournalIssueForm(WagtailAdminPageForm):
    """One issue per number and year in an archive: a second No. 12 of 2013 is a typing mistake."""

    def clean(self):
        cleaned = super().clean()
        number, issued = cleaned.get("number"), cleaned.get("date")
        parent = self.parent_page if self.instance.pk is None else self.instance.get_parent()
        if parent is None or not number or not issued:
            return cleaned
        from cms.models import JournalIssuePage

        twins = JournalIssuePage.objects.child_of(parent).filter(date__year=issued.year, number=number)
        if self.instance.pk:
            twins = twins.exclude(pk=self.instance.pk)
        if twins.exists():
            self.add_error(
                "number",
                _("Issue %(number)s of %(year)s already exists.") % {"number": number, "year": issued.year},
            )
        return cleaned
