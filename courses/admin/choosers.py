"""The session chooser of the Wagtail admin (the "Session" field of a training material).

* Labels in the reader's language: Wagtail's snippet chooser widget formats "Choose %(object)s" once, when
  the form class is built, so the first request's language stuck for everyone ("Choose тренинг"). Here the
  texts are lazy and are translated each time the widget is rendered.
* The list holds the sessions the user manages (courses.permissions): their own first, newest first. A
  trainer cannot pick, nor reach through the "chosen" URL, another trainer's session.
"""

from django.db.models import Exists, OuterRef, Value
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.widgets import AdminSnippetChooser

from courses.permissions import manageable_sessions


def _object_text(msgid, model):
    return gettext(msgid) % {"object": model._meta.verbose_name}


_lazy_object_text = lazy(_object_text, str)


class LocalisedSnippetChooser(AdminSnippetChooser):
    """A snippet chooser whose button texts follow the language of each request."""

    def __init__(self, model=None, **kwargs):
        super().__init__(model=model, **kwargs)
        self.choose_one_text = _lazy_object_text("Choose %(object)s", self.model)
        self.choose_another_text = _lazy_object_text("Choose another %(object)s", self.model)
        self.link_to_chosen_text = _lazy_object_text("Edit this %(object)s", self.model)


def sessions_for_chooser(user):
    """The sessions `user` may pick: their own first, then newest first."""
    from courses.models import Session

    sessions = manageable_sessions(user, Session.objects.select_related("course", "venue"))
    if user.is_authenticated:
        own = Session.trainers.through.objects.filter(session=OuterRef("pk"), user=user)
        sessions = sessions.annotate(is_own=Exists(own))
    else:
        sessions = sessions.annotate(is_own=Value(False))
    return sessions.order_by("-is_own", "-starts_at", "-pk")


def _when(session):
    from academy.formats import format_range

    return format_range(session.starts_at, session.ends_at, "date")


class SessionChooseMixin:
    per_page = 25

    def get_object_list(self):
        return sessions_for_chooser(self.request.user)

    def apply_object_list_ordering(self, objects):
        return objects  # sessions_for_chooser orders them

    @property
    def columns(self):
        return [
            *super().columns,
            Column("when", label=_("Dates"), accessor=_when),
            Column("venue", label=_("venue"), accessor=lambda session: session.venue or "—"),
        ]


class SessionChooseView(SessionChooseMixin, snippet_chooser.ChooseView):
    pass


class SessionChooseResultsView(SessionChooseMixin, snippet_chooser.ChooseResultsView):
    pass


class SessionChosenView(snippet_chooser.SnippetChosenView):
    def get_object(self, pk):
        return sessions_for_chooser(self.request.user).get(pk=pk)


class SessionChosenMultipleView(snippet_chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return sessions_for_chooser(self.request.user).filter(pk__in=pks)


class SessionChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    base_widget_class = LocalisedSnippetChooser
    choose_view_class = SessionChooseView
    choose_results_view_class = SessionChooseResultsView
    chosen_view_class = SessionChosenView
    chosen_multiple_view_class = SessionChosenMultipleView
