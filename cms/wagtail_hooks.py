"""Admin set-up of the site content: the reference lists editors keep for practices and the journal."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.models import ContestRound, JournalRubric, PracticeTopic


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


class ContestRoundViewSet(SnippetViewSet):
    """The yearly contest's rounds: deadline, criteria with weights and maximum points, jury (cms/models/contest.py)."""

    model = ContestRound
    icon = "pick"
    menu_label = _("Contest rounds")
    list_display = ["title", "year", "deadline", "results_published_at"]
    copy_view_enabled = False


class ContentListsGroup(SnippetViewSetGroup):
    items = (PracticeTopicViewSet, JournalRubricViewSet, ContestRoundViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Portal and journal")
    menu_name = "content-lists"


register_snippet(ContentListsGroup)


@hooks.register("register_admin_urls")
def contest_admin_urls():
    from django.urls import path

    from cms.contest import admin_views

    return [
        path("contest/jury/", admin_views.jury_index, name="contest_jury"),
        path("contest/jury/<int:pk>/", admin_views.score, name="contest_score"),
        path("contest/rounds/<int:pk>/publish/", admin_views.publish, name="contest_publish"),
    ]


class JuryMenuItem(MenuItem):
    def is_shown(self, request):
        from cms.contest.admin_views import can_see_jury_menu

        return can_see_jury_menu(request.user)


@hooks.register("register_admin_menu_item")
def contest_jury_menu_item():
    return JuryMenuItem(_("Jury scores"), reverse("contest_jury"), icon_name="pick", order=450)
