from .api_tokens import TokenUse
from .geography import District, Municipality, Region
from .messaging import Channel, OutboxMessage, TelegramLinkCode
from .notifications import OutboxEmail
from .officers import MunicipalityOfficer, OfficerRole
from .organisations import FundingProject, Organization, OrganizationKind
from .users import Gender, Language, Profile, User

__all__ = [
    "Channel",
    "District",
    "FundingProject",
    "Gender",
    "Language",
    "Municipality",
    "MunicipalityOfficer",
    "OfficerRole",
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
