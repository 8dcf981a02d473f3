from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from academy.models import FundingProject, MunicipalityOfficer, Organization, OutboxEmail, OutboxMessage


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


class MunicipalityOfficerViewSet(SnippetViewSet):
    """Academy admins bind an account to the municipality whose people it nominates and approves."""

    model = MunicipalityOfficer
    icon = "user"
    menu_label = _("Municipality officers")
    list_display = ["user", "municipality", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__profile__full_name", "municipality__name_ky", "municipality__name_ru"]
    panels = [
        FieldPanel("user", widget=forms.Select),
        FieldPanel("municipality", widget=forms.Select),
        FieldPanel("role"),
    ]

    def get_queryset(self, request):
        return MunicipalityOfficer.objects.select_related("user__profile", "municipality")


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Seen, never edited: the outbox is a record of what was sent."""

    def user_has_permission(self, user, action):
        return action not in ("add", "change", "delete", "lock", "unlock", "publish") and super().user_has_permission(
            user, action
        )


class OutboxEmailViewSet(SnippetViewSet):
    model = OutboxEmail
    icon = "mail"
    menu_label = _("Outgoing e-mails")
    list_display = ["created_at", "to", "subject", "status", "attempts", "last_error"]
    list_filter = ["status"]
    search_fields = ["to", "subject", "key"]
    inspect_view_enabled = True
    inspect_view_fields = ["key", "to", "subject", "status", "attempts", "last_error", "created_at", "sent_at", "body_text"]
    ordering = ["-created_at"]


class OutboxMessageViewSet(OutboxEmailViewSet):
    model = OutboxMessage
    icon = "comment"
    menu_label = _("Outgoing messages")
    list_display = ["created_at", "channel", "to", "status", "attempts", "last_error"]
    list_filter = ["channel", "status"]
    search_fields = ["to", "text", "key"]
    inspect_view_fields = ["key", "channel", "to", "status", "attempts", "last_error", "created_at", "sent_at", "text"]


for outbox_model in (OutboxEmail, OutboxMessage):
    register_permission_policy(outbox_model, ReadOnlyPermissionPolicy(outbox_model))


class PeopleAndPlacesGroup(SnippetViewSetGroup):
    items = (
        FundingProjectViewSet,
        OrganizationViewSet,
        MunicipalityOfficerViewSet,
        OutboxEmailViewSet,
        OutboxMessageViewSet,
    )
    menu_icon = "site"
    menu_label = _("Academy")
    menu_name = "academy"


register_snippet(PeopleAndPlacesGroup)
