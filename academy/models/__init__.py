from .api_tokens import TokenUse
from .geography import District, Municipality, Region
from .notifications import OutboxEmail
from .organisations import FundingProject, Organization, OrganizationKind
from .users import Gender, Language, Profile, User

__all__ = [
    "District",
    "FundingProject",
    "Gender",
    "Language",
    "Municipality",
    "Organization",
    "OrganizationKind",
    "OutboxEmail",
    "Profile",
    "Region",
    "TokenUse",
    "User",
]
