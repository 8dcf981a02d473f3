"""Materials API: the materials of a course or a session (only those the requester may see), and scan figures."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema, extend_schema_view
from rest_framework import generics, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from academy.api.errors import ERRORS, MAX_ID, error_responses
from academy.errors import DomainError, NotFoundError
from courses.models import Material, Session
from courses.services import materials as service
from courses.services import shortlinks


class MaterialSerializer(serializers.ModelSerializer):
    course = serializers.IntegerField(source="course_id", read_only=True, allow_null=True)
    session = serializers.IntegerField(source="session_id", read_only=True, allow_null=True)
    scope = serializers.SerializerMethodField(help_text="`session` for a session's own material, `course` for one of its course.")
    file_type = serializers.SerializerMethodField(help_text="pdf, docx, pptx, xlsx for documents; empty otherwise.")
    open_url = serializers.SerializerMethodField(help_text="Where the material opens (file or external link).")
    short_code = serializers.SerializerMethodField()
    short_url = serializers.SerializerMethodField(help_text="The stable /q/<code> link printed as a QR code.")
    qr_svg_url = serializers.SerializerMethodField(help_text="The QR code as SVG, for print.")
    qr_png_url = serializers.SerializerMethodField(help_text="The QR code as PNG, for screens.")

    class Meta:
        model = Material
        fields = [
            "id",
            "title",
            "description",
            "language",
            "kind",
            "visibility",
            "course",
            "session",
            "scope",
            "file_type",
            "open_url",
            "short_code",
            "short_url",
            "qr_svg_url",
            "qr_png_url",
            "updated_at",
        ]
        read_only_fields = fields

    def get_scope(self, material) -> str:
        return "session" if material.session_id else "course"

    def get_file_type(self, material) -> str:
        return material.file_extension

    def get_open_url(self, material) -> str:
        url = service.open_url(material)
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request and url.startswith("/") else url

    def get_short_code(self, material) -> str:
        return material.short_link.code

    def get_short_url(self, material) -> str:
        return shortlinks.short_url(material.short_link)

    def get_qr_svg_url(self, material) -> str:
        return shortlinks.qr_svg_url(material.short_link)

    def get_qr_png_url(self, material) -> str:
        return shortlinks.qr_png_url(material.short_link)


class LinkStatsSerializer(serializers.Serializer):
    code = serializers.CharField()
    short_url = serializers.URLField()
    is_active = serializers.BooleanField()
    scan_count = serializers.IntegerField()
    last_scanned_at = serializers.DateTimeField(allow_null=True)


class MaterialStatsSerializer(LinkStatsSerializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    language = serializers.CharField()
    visibility = serializers.CharField()
    scope = serializers.CharField(help_text="`course` materials count the scans of every session of the course.")


class SessionStatsSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    pack = LinkStatsSerializer()
    materials = MaterialStatsSerializer(many=True)
    total_scans = serializers.IntegerField()


class _MaterialListView(generics.ListAPIView):
    serializer_class = MaterialSerializer
    permission_classes = [permissions.AllowAny]
    queryset = Material.objects.none()  # for the schema; get_queryset() answers per request

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        serializer = self.get_serializer(shortlinks.ensure_material_links(page), many=True)
        return self.get_paginated_response(serializer.data)


# A session or course the requester may not see answers 404 (as if it did not exist), as does a page past the end.
LIST_RESPONSES = {200: MaterialSerializer(many=True), **error_responses(404)}


@extend_schema_view(get=extend_schema(tags=["materials"], responses=LIST_RESPONSES))
class SessionMaterialsView(_MaterialListView):
    """The materials of a session (its own and its course's) that the requester may see."""

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Material.objects.none()
        session = service.get_session_for(self.request.user, self.kwargs["session_id"])
        return service.session_materials_query(self.request.user, session)


@extend_schema_view(get=extend_schema(tags=["materials"], responses=LIST_RESPONSES))
class CourseMaterialsView(_MaterialListView):
    """The course-level materials of a course (any language version of its page) that the requester may see."""

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Material.objects.none()
        course = service.get_course_for(self.request.user, self.kwargs["course_id"])
        return service.course_materials_query(self.request.user, course)


def _positive_int(value, field):
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number <= 0 or number > MAX_ID:
        raise DomainError(_("Give a valid number."), field=field)
    return number


class MaterialStatsView(APIView):
    """Scan figures for the trainers of the session (or of the course's sessions) and admins."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["materials"],
        parameters=[
            OpenApiParameter("session", OpenApiTypes.INT, description="A session: its pack code and every material."),
            OpenApiParameter("material", OpenApiTypes.INT, description="One material."),
        ],
        responses={
            200: PolymorphicProxySerializer(
                component_name="SessionOrMaterialStats",
                serializers=[SessionStatsSerializer, MaterialStatsSerializer],
                resource_type_field_name=None,
            ),
            **ERRORS,
        },
        description="With `?session=<id>`: the session's figures (SessionStats). With `?material=<id>`: one "
        "material's figures (MaterialStats, as in /materials/{id}/stats/).",
    )
    def get(self, request):
        if request.query_params.get("session") is not None:
            session_id = _positive_int(request.query_params.get("session"), "session")
            session = Session.objects.select_related("course").filter(pk=session_id).first()
            if session is None:
                raise NotFoundError(_("This session does not exist."))
            return Response(SessionStatsSerializer(service.session_stats(request.user, session)).data)
        if request.query_params.get("material") is not None:
            return _material_stats(request, _positive_int(request.query_params.get("material"), "material"))
        raise DomainError(_("Give a session or a material."), field="session")


def _material_stats(request, material_id):
    material = Material.objects.select_related("short_link").filter(pk=material_id).first()
    if material is None:
        raise NotFoundError(_("This material does not exist."))
    return Response(MaterialStatsSerializer(service.material_stats(request.user, material)).data)


class MaterialStatsDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["materials"],
        responses={200: MaterialStatsSerializer, **error_responses(403, 404)},
        operation_id="materials_stats_detail",
    )
    def get(self, request, material_id):
        """Scan figures of one material."""
        return _material_stats(request, material_id)
