"""Reference lists academy admins keep: course topics, each named in Kyrgyz, Russian and English."""

from django.utils.translation import gettext_lazy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views

from courses.models import Topic


class TopicViewSet(snippet_views.SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = gettext_lazy("Course topics")
    add_to_settings_menu = True
    list_display = ["name", "code"]
    search_fields = ["code", "name_ky", "name_ru", "name_en"]
    copy_view_enabled = False

    def get_queryset(self, request):
        return Topic.objects.by_name()


register_snippet(TopicViewSet)
