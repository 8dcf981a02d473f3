from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from academy.models import FundingProject, Organization


class FundingProjectViewSet(SnippetViewSet):
    model = FundingProject
    icon = "pick"
    menu_label = _("Funding projects")
    list_display = ["code", "name", "donor", "starts_on", "ends_on"]
    list_filter = ["donor"]
    search_fields = ["code", "name_ky", "name_ru", "name_en", "donor"]


class OrganizationViewSet(SnippetViewSet):
    model = Organization
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "kind", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name"]
    panels = [FieldPanel("name"), FieldPanel("kind"), FieldPanel("municipality")]

    def get_queryset(self, request):
        return Organization.objects.select_related("municipality")  # the list shows it: one query, not one a row


class PeopleAndPlacesGroup(SnippetViewSetGroup):
    items = (FundingProjectViewSet, OrganizationViewSet)
    menu_icon = "site"
    menu_label = _("Academy")
    menu_name = "academy"


register_snippet(PeopleAndPlacesGroup)
