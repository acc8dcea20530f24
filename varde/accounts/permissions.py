"""What each role may do: the one place that decides.

Views never test roles themselves. They name the permission they need (``workspace_view``) and
this table answers. The role × URL test in ``accounts/tests/test_access.py`` walks every URL of the
project against this table, so a new view cannot ship without a decision here.
"""

from __future__ import annotations

import enum

from varde.accounts.roles import Role


class Perm(enum.StrEnum):
    WORKSPACE_VIEW = "workspace.view"
    STRATEGY_VIEW = "strategy.view"
    STRATEGY_EDIT = "strategy.edit"
    CONTENT_VIEW = "content.view"
    CONTENT_DRAFT = "content.draft"
    CONTENT_EDIT = "content.edit"
    CONTENT_APPROVE = "content.approve"
    CONTENT_PUBLISH = "content.publish"
    REVIEW_VIEW = "review.view"
    REVIEW_DECIDE = "review.decide"
    CHANNELS_VIEW = "channels.view"
    CHANNELS_MANAGE = "channels.manage"
    INBOX_VIEW = "inbox.view"
    INBOX_REPLY = "inbox.reply"
    INBOX_MODERATE = "inbox.moderate"  # moderation rules, VIP/block lists, saved replies
    LISTENING_VIEW = "listening.view"
    LISTENING_EDIT = "listening.edit"  # queries
    LISTENING_MANAGE = "listening.manage"  # sources (addresses Varde fetches) and retention
    # Leads hold personal data of prospects: readers of everything see them, editors work them;
    # the CRM address and secret are settings (SETTINGS_EDIT).
    LEADS_VIEW = "leads.view"
    LEADS_EDIT = "leads.edit"
    ANALYTICS_VIEW = "analytics.view"
    ANALYTICS_EDIT = "analytics.edit"  # numbers entered by hand: goal readings, conversions
    SETTINGS_VIEW = "settings.view"
    SETTINGS_EDIT = "settings.edit"
    MEMBERS_VIEW = "members.view"
    MEMBERS_MANAGE = "members.manage"
    AUDIT_VIEW = "audit.view"
    HEALTH_VIEW = "health.view"
    WORKSPACE_DELETE = "workspace.delete"


READ_EVERYTHING = frozenset(
    {
        Perm.WORKSPACE_VIEW,
        Perm.STRATEGY_VIEW,
        Perm.CONTENT_VIEW,
        Perm.REVIEW_VIEW,
        Perm.CHANNELS_VIEW,
        Perm.INBOX_VIEW,
        Perm.LISTENING_VIEW,
        Perm.LEADS_VIEW,
        Perm.ANALYTICS_VIEW,
        Perm.SETTINGS_VIEW,
        Perm.MEMBERS_VIEW,
    }
)

EDITOR = READ_EVERYTHING | {
    Perm.STRATEGY_EDIT,
    Perm.CONTENT_DRAFT,
    Perm.CONTENT_EDIT,
    Perm.CONTENT_APPROVE,
    Perm.CONTENT_PUBLISH,
    Perm.REVIEW_DECIDE,
    Perm.INBOX_REPLY,
    Perm.LISTENING_EDIT,
    Perm.LEADS_EDIT,
    Perm.ANALYTICS_EDIT,
}

ADMIN = EDITOR | {
    Perm.CHANNELS_MANAGE,
    Perm.INBOX_MODERATE,
    Perm.LISTENING_MANAGE,
    Perm.SETTINGS_EDIT,
    Perm.MEMBERS_MANAGE,
    Perm.AUDIT_VIEW,
    Perm.HEALTH_VIEW,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.OWNER: frozenset(ADMIN | {Perm.WORKSPACE_DELETE}),
    Role.ADMIN: frozenset(ADMIN),
    Role.EDITOR: frozenset(EDITOR),
    Role.CONTRIBUTOR: frozenset(
        {
            Perm.WORKSPACE_VIEW,
            Perm.STRATEGY_VIEW,
            Perm.CONTENT_VIEW,
            Perm.CONTENT_DRAFT,
            Perm.CHANNELS_VIEW,
            Perm.INBOX_VIEW,
            Perm.LISTENING_VIEW,
            Perm.ANALYTICS_VIEW,
        }
    ),
    Role.ANALYST: frozenset(READ_EVERYTHING | {Perm.ANALYTICS_EDIT}),
    # A client sees what was sent for review and nothing else.
    Role.CLIENT_REVIEWER: frozenset({Perm.WORKSPACE_VIEW, Perm.REVIEW_VIEW, Perm.REVIEW_DECIDE}),
}

# Roles an admin may hand out; only an owner makes another owner.
ASSIGNABLE_BY = {
    Role.OWNER: frozenset(Role),
    Role.ADMIN: frozenset(Role) - {Role.OWNER},
}


def role_can(role: str | Role, perm: Perm) -> bool:
    try:
        return perm in ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return False


def permissions_of(role: str | Role) -> frozenset[Perm]:
    return ROLE_PERMISSIONS.get(Role(role), frozenset())


def roles_assignable_by(role: str | Role) -> frozenset[Role]:
    return ASSIGNABLE_BY.get(Role(role), frozenset())
