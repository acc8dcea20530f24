"""The demo's history of sandbox numbers (labelled as sandbox data), so every chart has something
to show. Idempotent: a day that already has its numbers keeps them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.utils import timezone

from varde.analytics.daily import sandbox_history_seed

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace


def demo_analytics_seed(
    *, workspace: Workspace, actor: User | None = None, users: Mapping[str, User] | None = None
) -> None:
    sandbox_history_seed(workspace=workspace, today=timezone.localdate())
