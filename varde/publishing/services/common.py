"""Shared by the service modules: the claim, the rules, small guards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from varde.publishing.choices import DeliveryState
from varde.publishing.models import Delivery, DeliveryAttempt, PublishingRules

if TYPE_CHECKING:
    from varde.accounts.models import Workspace

# States a person may (re)schedule from: nothing is in flight and nothing is live.
RESCHEDULABLE = (
    DeliveryState.DRAFT,
    DeliveryState.SCHEDULED,
    DeliveryState.FAILED,
    DeliveryState.CANCELLED,
)
CANCELLABLE = (DeliveryState.DRAFT, DeliveryState.SCHEDULED, DeliveryState.FAILED)
LEASE_CLEARED: dict[str, Any] = {"lease_owner": "", "lease_expires_at": None, "claim_token": ""}


@dataclass(frozen=True)
class Claim:
    """A delivery held by one worker, and the attempt row that records what happens."""

    delivery: Delivery
    attempt: DeliveryAttempt
    token: str


def require_aware(value: datetime) -> None:
    if timezone.is_naive(value):
        raise ValueError("Delivery times must be timezone-aware.")


def publishing_rules_for(*, workspace: Workspace) -> PublishingRules:
    rules, _created = PublishingRules.objects.get_or_create(workspace=workspace)
    return rules


def send_by_for(workspace: Workspace, at: datetime) -> datetime:
    cutoff = publishing_rules_for(workspace=workspace).late_cutoff_minutes
    return at + timedelta(minutes=cutoff)
