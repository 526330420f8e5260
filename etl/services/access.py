"""Who is asking: roles, and the check every restricted action makes itself.

Accounts and sign-in come with the accounts issue; this module is the contract
the disclosure gate and the coordinator's actions check against.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from etl.errors import TilannekuvaError


class Role(StrEnum):
    PUBLIC = "public"  # a visitor without an account (public mode)
    MEMBER = "member"  # staff of one member organisation
    REPORTER = "reporter"  # a member who may upload for their own organisation
    OBSERVER = "observer"  # a partner, authority or researcher: the network's figures, no organisation
    COORDINATOR = "coordinator"
    ADMIN = "admin"


@dataclass(frozen=True)
class Caller:
    username: str
    role: Role
    org_code: str | None = None  # the member organisation of a member or reporter

    def may_see_exact(self, org_code: str) -> bool:
        """Exact figures of one organisation: its own people, the coordinator and admins."""
        if self.role in STAFF:
            return True
        return self.role in ORG_PEOPLE and self.org_code == org_code


# The role groups, defined once: every check and every page list names one of these.
STAFF = (Role.COORDINATOR, Role.ADMIN)  # every organisation's figures, the staff pages
ORG_PEOPLE = (Role.MEMBER, Role.REPORTER)  # the people of one member organisation
OWN_FIGURES = (*ORG_PEOPLE, *STAFF)  # who may be shown an organisation's exact figures (may_see_exact)
SIGNED_IN = (*ORG_PEOPLE, Role.OBSERVER, *STAFF)  # every role an account can have
COORDINATED = (*ORG_PEOPLE, Role.OBSERVER)  # the accounts a coordinator manages (an admin manages all)
READERS = (Role.PUBLIC, *SIGNED_IN)  # the public pages, in public mode
UPLOADERS = (Role.REPORTER, *STAFF)  # reporters: their own organisation only

PUBLIC = Caller("public", Role.PUBLIC)


class AccessDenied(TilannekuvaError):
    exit_code = 77  # EX_NOPERM

    def __init__(self, action: str) -> None:
        super().__init__("access.denied", action=action)


def require(caller: Caller | None, *roles: Role, action: str) -> Caller:
    """Return the caller if their role allows `action`; raise AccessDenied otherwise."""
    if caller is None or caller.role not in roles:
        raise AccessDenied(action)
    return caller
