"""API of the catalogue: courses (read-only) and sessions (read; trainers create and update theirs).

Writes go through `courses.services.catalogue.save_session`, the same rules as the admin form.
"""

import django_filters
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F, Prefetch
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from academy.api.errors import ERRORS, error_responses
from academy.api.negotiation import FormatIsAFilterNegotiation
from academy.models import OrganizationKind
from academy.roles import TRAINERS
from courses.filters import SessionFilter
from courses.models import AgendaItem, Audience, CoursePage, DeliveryLanguage, Session, Topic
from courses.models.catalogue import annotate_next_session
from courses.permissions import can_manage_session
from courses.services import catalogue, public_pages

User = get_user_model()


# --- courses -------------------------------------------------------------------------------------


class AudienceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Audience
        fields = ["code", "name"]


class TopicSerializer(serializers.ModelSerializer):
    # A code carried over from an old tag may hold Unicode letters: not the ASCII-only pattern of a SlugField.
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Topic
        fields = ["code", "name"]


class CourseSerializer(serializers.ModelSerializer):
    # Slugs are Unicode (Kyrgyz and Russian titles): not the ASCII-only pattern of a SlugField.
    slug = serializers.CharField(read_only=True)
    locale = serializers.CharField(source="locale.language_code", read_only=True)
    url = serializers.SerializerMethodField()
    topics = TopicSerializer(many=True, read_only=True)
    audiences = AudienceSerializer(many=True, read_only=True)
    languages = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    next_session_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = CoursePage
        fields = [
            "id",
            "title",
            "slug",
            "locale",
            "translation_key",
            "url",
            "summary",
            "hours",
            "topics",
            "audiences",
            "languages",
            "next_session_at",
        ]

    def get_url(self, page) -> str:
        return page.get_full_url(self.context.get("request"))


class CourseDetailSerializer(CourseSerializer):
    learning_outcomes = serializers.CharField(read_only=True, help_text=_("HTML"))
    description = serializers.SerializerMethodField(help_text=_("HTML"))

    class Meta(CourseSerializer.Meta):
        fields = [
            *CourseSerializer.Meta.fields,
            "description",
            "learning_outcomes",
            "min_attendance_percent",
            "attendance_granularity",
            "requires_assignment",
            "assignment_title",
            "assignment_description",
        ]

    def get_description(self, page) -> str:
        return str(page.body.render_as_block()) if page.body else ""


class CourseApiFilter(django_filters.FilterSet):
    locale = django_filters.ChoiceFilter(
        label=_("Language of the catalogue"), choices=settings.LANGUAGES, method="filter_locale"
    )
    topic = django_filters.CharFilter(label=_("Topic (code)"), field_name="topics__code")
    audience = django_filters.ModelChoiceFilter(
        label=_("Audience"), field_name="audiences", to_field_name="code", queryset=Audience.objects.all()
    )
    language = django_filters.ModelChoiceFilter(
        label=_("Delivery language"),
        field_name="languages",
        to_field_name="code",
        queryset=DeliveryLanguage.objects.all(),
    )

    class Meta:
        model = CoursePage
        fields = []

    def filter_locale(self, queryset, name, value):
        return queryset.filter(locale__language_code=value)


class PublicReadsCached:
    """Anonymous list and detail reads answer from the catalogue cache (see courses.services.public_pages)."""

    cached_actions = ("list", "retrieve")

    def dispatch(self, request, *args, **kwargs):
        action = (getattr(self, "action_map", None) or {}).get(request.method.lower())
        if action in self.cached_actions:
            return public_pages.cached_catalogue_api(super().dispatch)(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)


@extend_schema_view(
    list=extend_schema(responses={200: CourseSerializer(many=True), **error_responses(400, 404)}),
    retrieve=extend_schema(responses={200: CourseDetailSerializer, **error_responses(404)}),
)
class CourseViewSet(PublicReadsCached, viewsets.ReadOnlyModelViewSet):
    """Live courses. The list shows the catalogue of the request's language unless `locale` is given."""

    permission_classes = [permissions.AllowAny]
    filterset_class = CourseApiFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request, maybe no tables
            return CoursePage.objects.none()
        courses = CoursePage.objects.live().public().select_related("locale")
        if self.action == "list" and not self.request.query_params.get("locale"):
            courses = courses.filter(locale__language_code=(get_language() or settings.LANGUAGE_CODE)[:2])
        return annotate_next_session(courses).order_by(F("next_session_at").asc(nulls_last=True), "title", "pk")

    def get_serializer_class(self):
        return CourseDetailSerializer if self.action == "retrieve" else CourseSerializer


# --- sessions ------------------------------------------------------------------------------------


class PlaceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class VenueSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    address = serializers.CharField()
    capacity = serializers.IntegerField()
    municipality = PlaceSerializer()
    oblast = PlaceSerializer(source="municipality.district.region")


class TrainerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")
    calendar_url = serializers.SerializerMethodField()

    def get_calendar_url(self, user) -> str:
        from django.urls import reverse

        request = self.context.get("request")
        url = reverse("trainer_ical", args=[user.pk])
        return request.build_absolute_uri(url) if request else url


class FundingProjectBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    donor = serializers.CharField()


class CourseBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    translation_key = serializers.UUIDField()


class AgendaItemSerializer(serializers.ModelSerializer):
    trainer = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), allow_null=True, required=False, help_text=_("User id of a trainer")
    )

    class Meta:
        model = AgendaItem
        fields = ["id", "day", "starts_at", "ends_at", "title", "description", "trainer"]
        read_only_fields = ["id"]


class SessionSerializer(serializers.ModelSerializer):
    course = serializers.SerializerMethodField()
    display_title = serializers.CharField(read_only=True)
    venue = VenueSerializer(read_only=True, allow_null=True)
    trainers = TrainerSerializer(many=True, read_only=True)
    funding_project = FundingProjectBriefSerializer(read_only=True, allow_null=True)
    seats_left = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()
    calendar_url = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = [
            "id",
            "course",
            "title",
            "display_title",
            "status",
            "starts_at",
            "ends_at",
            "format",
            "language",
            "venue",
            "capacity",
            "seats_left",
            "registration_opens_at",
            "registration_closes_at",
            "requires_approval",
            "eligible_organization_kinds",
            "funding_project",
            "trainers",
            "cancellation_reason",
            "url",
            "calendar_url",
        ]

    @extend_schema_field(CourseBriefSerializer)
    def get_course(self, session):
        return CourseBriefSerializer(session.localized_course).data

    def _absolute(self, name, session):
        from django.urls import reverse

        request = self.context.get("request")
        url = reverse(name, args=[session.pk])
        return request.build_absolute_uri(url) if request else url

    def get_url(self, session) -> str:
        return self._absolute("session_detail", session)

    def get_calendar_url(self, session) -> str:
        return self._absolute("session_ical", session)


class SessionDetailSerializer(SessionSerializer):
    agenda = AgendaItemSerializer(source="agenda_items", many=True, read_only=True)
    online_url = serializers.SerializerMethodField(help_text=_("Shown to the session's trainers and admins only."))

    class Meta(SessionSerializer.Meta):
        fields = [*SessionSerializer.Meta.fields, "online_url", "agenda"]

    def get_online_url(self, session) -> str:
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated and can_manage_session(request.user, session):
            return session.online_url
        return ""


class SessionWriteSerializer(serializers.ModelSerializer):
    course = serializers.PrimaryKeyRelatedField(queryset=CoursePage.objects.live())
    trainers = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=User.objects.filter(groups__name=TRAINERS),
        help_text=_("User ids of the trainers; a trainer who creates a session is added automatically."),
    )
    eligible_organization_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=OrganizationKind.choices), required=False
    )
    agenda = AgendaItemSerializer(many=True, required=False, help_text=_("Replaces the whole agenda when given."))

    class Meta:
        model = Session
        fields = [
            "course",
            "title",
            "starts_at",
            "ends_at",
            "format",
            "venue",
            "online_url",
            "capacity",
            "language",
            "registration_opens_at",
            "registration_closes_at",
            "requires_approval",
            "eligible_organization_kinds",
            "funding_project",
            "status",
            "trainers",
            "cancellation_reason",
            "agenda",
        ]


class SessionCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class CopyAgendaSerializer(serializers.Serializer):
    replace = serializers.BooleanField(default=False)


@extend_schema_view(
    list=extend_schema(responses={200: SessionSerializer(many=True), **error_responses(400, 404)}),
    retrieve=extend_schema(responses={200: SessionDetailSerializer, **error_responses(404)}),
)
class SessionViewSet(
    PublicReadsCached, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Sessions. Drafts are visible only to their trainers and academy admins.

    Trainers create sessions (and become their trainers) and update the sessions they train;
    the rules are those of the admin: no double-booked trainer or venue, capacity within the
    room, agenda inside the session's dates without overlaps.
    """

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    content_negotiation_class = FormatIsAFilterNegotiation
    filterset_class = SessionFilter

    def get_queryset(self):
        sessions = Session.objects.visible_to(self.request.user).with_seats().for_listing()
        if self.action != "list":
            agenda = AgendaItem.objects.order_by("day", "starts_at", "sort_order")
            sessions = sessions.prefetch_related(Prefetch("agenda_items", queryset=agenda))
        return sessions.order_by("starts_at", "pk")

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return SessionWriteSerializer
        return SessionDetailSerializer if self.action == "retrieve" else SessionSerializer

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            catalogue.attach_localized_courses(page)
        return page

    def get_object(self):
        session = super().get_object()
        catalogue.attach_localized_courses([session])
        return session

    def _detail(self, session, status_code=status.HTTP_200_OK):
        session = self.get_queryset().get(pk=session.pk)
        catalogue.attach_localized_courses([session])
        return Response(SessionDetailSerializer(session, context=self.get_serializer_context()).data, status=status_code)

    @staticmethod
    def _agenda(data):
        if data is None:
            return None
        return [AgendaItem(**{key: value for key, value in item.items() if key != "id"}) for item in data]

    @extend_schema(request=SessionWriteSerializer, responses={201: SessionDetailSerializer, **error_responses(400, 403)})
    def create(self, request, *args, **kwargs):
        serializer = SessionWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        trainers = data.pop("trainers", [])
        agenda = self._agenda(data.pop("agenda", []))
        session = catalogue.save_session(Session(**data), user=request.user, trainers=trainers, agenda=agenda)
        return self._detail(session, status.HTTP_201_CREATED)

    @extend_schema(request=SessionWriteSerializer, responses={200: SessionDetailSerializer, **ERRORS})
    def update(self, request, *args, **kwargs):
        session = self.get_object()
        if not can_manage_session(request.user, session):
            raise PermissionDenied(_("You can only change the sessions you train."))
        partial = kwargs.pop("partial", False)
        serializer = SessionWriteSerializer(
            session, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        trainers = data.pop("trainers", None)
        agenda = self._agenda(data.pop("agenda", None))
        for name, value in data.items():
            setattr(session, name, value)
        session = catalogue.save_session(session, user=request.user, trainers=trainers, agenda=agenda)
        return self._detail(session)

    @extend_schema(request=SessionWriteSerializer, responses={200: SessionDetailSerializer, **ERRORS})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(request=SessionCancelSerializer, responses={200: SessionDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel the session; its registered participants are told by e-mail in their language."""
        session = self.get_object()
        serializer = SessionCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = catalogue.cancel_session(session, user=request.user, reason=serializer.validated_data.get("reason", ""))
        return self._detail(session)

    @extend_schema(request=CopyAgendaSerializer, responses={200: SessionDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="copy-agenda")
    def copy_agenda(self, request, pk=None):
        """Copy the agenda of the course's previous session into this one (`replace` to overwrite)."""
        session = self.get_object()
        serializer = CopyAgendaSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        catalogue.copy_agenda_from_previous(session, user=request.user, replace=serializer.validated_data["replace"])
        return self._detail(session)

