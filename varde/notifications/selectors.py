"""Reading notifications and preferences; always for one person."""

from __future__ import annotations

from typing import TYPE_CHECKING

from varde.notifications import kinds
from varde.notifications.choices import Reach
from varde.notifications.models import Notification, NotificationPreference

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from varde.accounts.models import User, Workspace


def notifications_of(*, user: User, workspace: Workspace) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, workspace=workspace)


def unread_notification_count(*, user: User, workspace: Workspace) -> int:
    return Notification.objects.filter(user=user, workspace=workspace, read_at__isnull=True).count()


def preferences_of(*, user: User) -> list[tuple[kinds.Kind, Reach]]:
    """Every declared kind with how this person hears of it (their choice or the default)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "reach"))
    return [(kind, Reach(chosen.get(kind.key, kind.default))) for kind in kinds.all_kinds()]
