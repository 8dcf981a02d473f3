from .api_tokens import TokenUse
from .geography import District, Municipality, Region
from .messaging import Channel, OutboxMessage, TelegramLinkCode
from .notifications import OutboxEmail
from .organisations import FundingProject, Organization, OrganizationKind
from .users import Gender, Language, Profile, User

__all__ = [
    "Channel",
    "District",
    "FundingProject",
    "Gender",
    "Language",
    "Municipality",
    "Organization",
    "OrganizationKind",
    "OutboxEmail",
    "OutboxMessage",
    "Profile",
    "Region",
    "TelegramLinkCode",
    "TokenUse",
    "User",
]
