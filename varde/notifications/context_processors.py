"""The bell in the page header: how many unread notifications this user has here."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from varde.notifications import selectors


def notifications(request: HttpRequest) -> dict[str, Any]:
    workspace = getattr(request, "workspace", None)
    user = request.user
    if workspace is None or not user.is_authenticated:
        return {}
    # A callable: the count is queried only when the template draws the bell.
    return {
        "notifications_unread": lambda: selectors.unread_notification_count(
            user=user, workspace=workspace
        )
    }
