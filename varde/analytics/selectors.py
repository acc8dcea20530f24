"""Reading metric snapshots."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from varde.analytics.models import MetricSnapshot

if TYPE_CHECKING:
    from varde.accounts.models import Workspace


def latest_metrics(
    *, workspace: Workspace, delivery_ids: Iterable[int]
) -> dict[int, MetricSnapshot]:
    """The newest snapshot of each delivery that has one, by delivery id."""
    latest: dict[int, MetricSnapshot] = {}
    snapshots = MetricSnapshot.objects.filter(
        workspace=workspace, delivery_id__in=list(delivery_ids)
    ).order_by("delivery_id", "-fetched_at", "-id")
    for snapshot in snapshots:
        latest.setdefault(snapshot.delivery_id, snapshot)
    return latest
