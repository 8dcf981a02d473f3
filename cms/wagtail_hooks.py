"""Admin set-up of the site content: the reference lists editors keep for practices and the journal."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.models import JournalRubric, PracticeTopic


class PracticeTopicViewSet(SnippetViewSet):
    model = PracticeTopic
    icon = "tag"
    menu_label = _("Practice topics")
    list_display = ["name", "code"]
    search_fields = ["code", "name_ky", "name_ru", "name_en"]
    copy_view_enabled = False

    def get_queryset(self, request):
        return PracticeTopic.objects.by_name()


class JournalRubricViewSet(SnippetViewSet):
    model = JournalRubric
    icon = "list-ul"
    menu_label = _("Journal rubrics")
    list_display = ["name", "code"]
    search_fields = ["code", "name_ky", "name_ru", "name_en"]
    copy_view_enabled = False

    def get_queryset(self, request):
        return JournalRubric.objects.by_name()


class ContentListsGroup(SnippetViewSetGroup):
    items = (PracticeTopicViewSet, JournalRubricViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Portal and journal")
    menu_name = "content-lists"


register_snippet(ContentListsGroup)
