"""Wagtail admin for scheduling: sessions (with their agenda inline), venues and trainer profiles.

A trainer sees and edits only the sessions they train; academy admins see everything. The session
form runs the same rules as the API (`courses.services.catalogue.check_session`) and saves through
`save_session`, so a clash or an agenda mistake is a form error, never a 500.
"""

from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views

from academy.errors import DomainError
from academy.models import OrganizationKind
from academy.roles import TRAINERS, is_academy_admin, is_trainer
from courses.admin.choosers import SessionChooserViewSet
from courses.admin.costs import CostsInlinePanel, ignore_costs_unless_admin
from courses.models import CoursePage, Session, TrainerProfile, Venue
from courses.permissions import can_manage_session, manageable_sessions
from courses.services import catalogue, quotas

User = get_user_model()


# --- sessions ------------------------------------------------------------------------------------


def _trainer_choices(extra=None):
    return (
        User.objects.filter(Q(groups__name=TRAINERS) | (extra or Q())).select_related("profile").distinct().order_by("email")
    )


class SessionAdminForm(WagtailAdminModelForm):
    eligible_organization_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("eligible organisation kinds"),
        choices=OrganizationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Leave empty to let anyone register."),
    )

    def clean_waitlist_offer_hours(self):
        hours = self.cleaned_data.get("waitlist_offer_hours")
        return self.instance.waitlist_offer_hours if hours is None else hours

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ignore_costs_unless_admin(self)
        self._rules_ok = None
        session = self.instance
        if "course" in self.fields:
            self.fields["course"].queryset = (
                CoursePage.objects.filter(Q(locale__language_code=settings.LANGUAGE_CODE) | Q(pk=session.course_id))
                .order_by("title")
                .select_related("locale")
            )
        if "trainers" in self.fields:
            current = Q(trained_sessions=session) if session.pk else Q()
            self.fields["trainers"].queryset = _trainer_choices(current)
        if "waitlist_offer_hours" in self.fields:
            # Left empty (or posted by a form that predates the field): the session keeps what it had.
            self.fields["waitlist_offer_hours"].required = False
        if "venue" in self.fields:
            self.fields["venue"].queryset = Venue.objects.select_related("municipality")
            self.fields["venue"].label_from_instance = lambda venue: _("%(name)s (%(seats)s seats)") % {
                "name": venue.name,
                "seats": venue.capacity,
            }
        agenda = self.formsets.get("agenda_items")
        if agenda is not None:
            trainers = _trainer_choices(Q(trained_sessions=session) if session.pk else Q())
            for form in [*agenda.forms, agenda.empty_form]:
                if "trainer" in form.fields:
                    form.fields["trainer"].queryset = trainers

    def _agenda_forms(self):
        formset = self.formsets.get("agenda_items")
        if formset is None:
            return []
        deleted = set(formset.deleted_forms) if formset.can_delete else set()
        return [
            form
            for form in formset.forms
            if form not in deleted and (form.instance.pk is not None or form.has_changed())
        ]

    def is_valid(self):
        if not super().is_valid():
            return False
        if self._rules_ok is None:
            self._rules_ok = self._check_rules() and self._check_quotas()
        return self._rules_ok

    def _check_quotas(self):
        """The seat quotas fit the capacity (courses/services/quotas.py); nothing is saved otherwise."""
        formset = self.formsets.get("quotas")
        if formset is None:
            return True
        deleted = set(formset.deleted_forms) if formset.can_delete else set()
        rows = [
            (form.cleaned_data.get("region"), form.cleaned_data.get("municipality"), form.cleaned_data.get("seats"))
            for form in formset.forms
            if form not in deleted and (form.instance.pk is not None or form.has_changed())
        ]
        try:
            quotas.check_quotas(self.cleaned_data.get("capacity"), rows)
        except DomainError as error:
            self.add_error("capacity" if error.field == "capacity" else None, error.message)
            return False
        return True

    def _check_rules(self):
        forms_by_item = {id(form.instance): form for form in self._agenda_forms()}
        trainers = list(self.cleaned_data.get("trainers") or [])
        previous = Session.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
        try:
            catalogue.check_session(
                self.instance,
                trainers=trainers,
                agenda=[form.instance for form in forms_by_item.values()],
                user=self.for_user,
                previous=previous,
            )
        except DomainError as error:
            item_form = forms_by_item.get(id(getattr(error, "item", None)))
            if item_form is not None:
                item_form.add_error(None, error.message)
                self.add_error(None, error.message)
            else:
                self.add_error(error.field if error.field in self.fields else None, error.message)
            return False
        return True

    def save(self, commit=True):
        instance = super().save(commit=False)
        if commit:
            instance = catalogue.save_session(instance, user=self.for_user)
            self._save_m2m()
        return instance


SESSION_PANELS = [
    MultiFieldPanel(
        [
            FieldPanel("course", widget=forms.Select),
            FieldPanel("title"),
            FieldRowPanel([FieldPanel("status"), FieldPanel("format"), FieldPanel("language")]),
        ],
        heading=gettext_lazy("Course"),
    ),
    FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")], heading=gettext_lazy("Dates")),
    MultiFieldPanel(
        [
            FieldRowPanel([FieldPanel("venue", widget=forms.Select), FieldPanel("capacity")]),
            FieldPanel("online_url"),
        ],
        heading=gettext_lazy("Place and seats"),
    ),
    MultiFieldPanel(
        [
            FieldPanel("trainers", widget=forms.CheckboxSelectMultiple),
            FieldPanel("funding_project", widget=forms.Select),
        ],
        heading=gettext_lazy("Trainers and funding"),
    ),
    MultiFieldPanel(
        [
            FieldRowPanel([FieldPanel("registration_opens_at"), FieldPanel("registration_closes_at")]),
            FieldPanel("requires_approval"),
            FieldPanel("requires_municipality_approval"),
            FieldPanel("waitlist_offer_hours"),
            FieldPanel("eligible_organization_kinds"),
        ],
        heading=gettext_lazy("Registration"),
    ),
    InlinePanel(
        "quotas",
        heading=gettext_lazy("Seat quotas"),
        label=gettext_lazy("Quota"),
        help_text=gettext_lazy(
            "Seats kept for the people of an oblast or a municipality; together no more than the capacity."
        ),
        panels=[
            FieldRowPanel(
                [
                    FieldPanel("region", widget=forms.Select),
                    FieldPanel("municipality", widget=forms.Select),
                    FieldPanel("seats"),
                ]
            ),
        ],
    ),
    FieldPanel("quota_release_at"),
    InlinePanel(
        "agenda_items",
        heading=gettext_lazy("Agenda"),
        label=gettext_lazy("Agenda block"),
        panels=[
            FieldRowPanel([FieldPanel("day"), FieldPanel("starts_at"), FieldPanel("ends_at")]),
            FieldPanel("title"),
            FieldPanel("trainer", widget=forms.Select),
            FieldPanel("description", widget=forms.Textarea(attrs={"rows": 2})),
        ],
    ),
    FieldPanel("cancellation_reason"),
    CostsInlinePanel(
        "costs",
        heading=gettext_lazy("Costs"),
        label=gettext_lazy("Budget line"),
        help_text=gettext_lazy("What the session cost, in KGS, by the budget lines donors ask for."),
        panels=[
            FieldRowPanel([FieldPanel("kind"), FieldPanel("amount"), FieldPanel("note")]),
        ],
    ),
]


class NotYours(PermissionDenied):
    """The object exists but belongs to someone else: answered with a plain 403."""


def _forbidden_as_403(view):
    """Wagtail turns PermissionDenied into a redirect to the dashboard; for another trainer's
    session we answer 403 Forbidden instead, which is unambiguous for people and scripts."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotYours as error:
            return permission_denied(request, error)

    return wrapped


def _with_403(patterns):
    for pattern in patterns:
        pattern.callback = _forbidden_as_403(pattern.callback)
    return patterns


class OwnSessionMixin:
    """Object-level permission: a trainer reaches only the sessions they train."""

    def get_object(self, *args, **kwargs):
        session = super().get_object(*args, **kwargs)
        if not can_manage_session(self.request.user, session):
            raise NotYours
        return session


class SessionIndexView(snippet_views.IndexView):
    default_ordering = "-starts_at"


class SessionEditView(OwnSessionMixin, snippet_views.EditView):
    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.insert(
            0,
            Button(
                _("Copy the agenda of the previous session"),
                url=reverse(self.copy_agenda_url_name, args=[self.object.pk]),
                icon_name="list-ul",
                priority=5,
            ),
        )
        buttons.append(Button(_("View on the site"), url=self.object.get_absolute_url(), icon_name="view", priority=40))
        return buttons

    copy_agenda_url_name = "wagtailsnippets_courses_session:copy_agenda"


class SessionDeleteView(OwnSessionMixin, snippet_views.DeleteView):
    pass


class SessionCopyView(OwnSessionMixin, snippet_views.CopyView):
    pass


class SessionHistoryView(OwnSessionMixin, snippet_views.HistoryView):
    pass


class SessionUsageView(OwnSessionMixin, snippet_views.UsageView):
    pass


class SessionInspectView(OwnSessionMixin, snippet_views.InspectView):
    pass


def copy_agenda_view(request, pk):
    """Confirm, then copy the agenda of the course's previous session into this one."""
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    if not can_manage_session(request.user, session):
        raise NotYours
    edit_url = reverse("wagtailsnippets_courses_session:edit", args=[session.pk])
    source = catalogue.previous_session_with_agenda(session)
    if request.method == "POST":
        try:
            source, count = catalogue.copy_agenda_from_previous(session, user=request.user, replace=True)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(count)s agenda blocks copied from %(source)s.")
                % {"count": count, "source": catalogue.session_label(source)},
            )
        return redirect(edit_url)
    return TemplateResponse(
        request,
        "courses/catalogue/admin_copy_agenda.html",
        {
            "session": session,
            "source": source,
            "source_label": catalogue.session_label(source) if source else "",
            "source_items": list(source.agenda_items.order_by("day", "starts_at")) if source else [],
            "current_count": session.agenda_items.count(),
            "edit_url": edit_url,
            "page_title": _("Copy an agenda"),
        },
    )


class SessionViewSet(snippet_views.SnippetViewSet):
    model = Session
    icon = "date"
    menu_label = gettext_lazy("Sessions")
    menu_order = 100
    list_display = ["__str__", "course", "starts_at", "venue", "status"]
    list_filter = ["status", "format", "language"]
    list_per_page = 50
    index_view_class = SessionIndexView
    chooser_viewset_class = SessionChooserViewSet  # own sessions first, newest first; labels per request
    edit_handler = ObjectList(SESSION_PANELS, base_form_class=SessionAdminForm)
    edit_view_class = SessionEditView
    delete_view_class = SessionDeleteView
    copy_view_class = SessionCopyView
    history_view_class = SessionHistoryView
    usage_view_class = SessionUsageView
    inspect_view_class = SessionInspectView

    def get_queryset(self, request):
        return manageable_sessions(request.user, Session.objects.select_related("course", "venue"))

    def get_urlpatterns(self):
        return _with_403(
            [*super().get_urlpatterns(), path("copy-agenda/<int:pk>/", copy_agenda_view, name="copy_agenda")]
        )


# --- venues and trainer profiles -----------------------------------------------------------------


class VenueViewSet(snippet_views.SnippetViewSet):
    model = Venue
    icon = "home"
    menu_label = gettext_lazy("Venues")
    menu_order = 110
    list_display = ["name", "municipality", "capacity"]
    search_fields = ["name", "address"]

    def get_queryset(self, request):
        return Venue.objects.select_related("municipality")


class TrainerProfileForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            user = self.for_user
            if user is not None and not is_academy_admin(user):
                choices = User.objects.filter(pk=user.pk)
            else:
                choices = User.objects.filter(
                    Q(groups__name=TRAINERS, trainer_profile__isnull=True) | Q(pk=self.instance.user_id)
                )
            self.fields["user"].queryset = choices.select_related("profile").distinct().order_by("email")


class OwnProfileMixin:
    def get_object(self, *args, **kwargs):
        profile = super().get_object(*args, **kwargs)
        user = self.request.user
        if not (is_academy_admin(user) or profile.user_id == user.pk):
            raise NotYours
        return profile


class TrainerProfileEditView(OwnProfileMixin, snippet_views.EditView):
    pass


class TrainerProfileDeleteView(OwnProfileMixin, snippet_views.DeleteView):
    pass


class TrainerProfileViewSet(snippet_views.SnippetViewSet):
    model = TrainerProfile
    icon = "user"
    menu_label = gettext_lazy("Trainer profiles")
    menu_order = 120
    list_display = ["__str__", "topics", "public_email"]
    edit_handler = ObjectList(TrainerProfile.panels, base_form_class=TrainerProfileForm)
    edit_view_class = TrainerProfileEditView
    delete_view_class = TrainerProfileDeleteView
    copy_view_enabled = False

    def get_urlpatterns(self):
        return _with_403(super().get_urlpatterns())

    def get_queryset(self, request):
        profiles = TrainerProfile.objects.select_related("user__profile")
        if is_academy_admin(request.user):
            return profiles
        if is_trainer(request.user):
            return profiles.filter(user=request.user)
        return profiles.none()


class SchedulingViewSetGroup(snippet_views.SnippetViewSetGroup):
    items = (SessionViewSet, VenueViewSet, TrainerProfileViewSet)
    menu_icon = "date"
    menu_label = gettext_lazy("Scheduling")
    menu_name = "scheduling"
    menu_order = 250


register_snippet(SchedulingViewSetGroup)
