"""Knowledge tests in the Wagtail admin: the course question bank (a snippet with inline choices) and a
"Knowledge tests" button in each session's menu, to the trainer screen (open/close, QR, paper, results)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views

from academy.roles import is_staff_member
from courses.models import Question, Session


class QuestionViewSet(snippet_views.SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Test questions")
    menu_name = "test-questions"
    list_display = ["text", "kind", "course"]
    list_filter = ["kind"]
    search_fields = ["text_ky", "text_ru", "text_en"]
    copy_view_enabled = False

    def get_queryset(self, request):
        return Question.objects.select_related("course")


register_snippet(QuestionViewSet)


@hooks.register("register_snippet_listing_buttons")
def session_tests_button(snippet, user, next_url=None):
    """The trainer screen checks that a trainer trains that session; no query per row here."""
    if isinstance(snippet, Session) and is_staff_member(user):
        yield Button(
            _("Knowledge tests"), url=reverse("assessment_session", args=[snippet.pk]), icon_name="help", priority=55
        )
