"""Reading notifications and preferences; always for one person."""

from __future__ import annotations

from typing import TYPE_CHECKING

from varde.notifications import kinds
from varde.notifications.choices import Reach
from varde.notifications.models import (
    Notification,
    NotificationPreference,
    WebhookDelivery,
    WebhookEndpoint,
)

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


def webhook_endpoint(*, workspace: Workspace, kind: str) -> WebhookEndpoint | None:
    return WebhookEndpoint.objects.filter(workspace=workspace, kind=kind).first()


def webhook_deliveries(
    *, workspace: Workspace, kind: str, limit: int = 20
) -> list[WebhookDelivery]:
    """The newest messages of the workspace's webhook for ``kind``: the delivery log."""
    return list(WebhookDelivery.objects.filter(workspace=workspace, kind=kind)[:limit])
