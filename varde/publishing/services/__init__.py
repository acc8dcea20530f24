"""Every change to a delivery's state happens here, and only here.

Two kinds of callers: people (schedule, move, cancel, retry) and the engine (claim, then record
one outcome). Engine writes are conditional on the claim token, so a worker whose lease ran out
cannot overwrite what the worker after it did.
"""

from __future__ import annotations

from varde.publishing.services.claims import (
    delivery_claim_next,
    delivery_claim_unknown,
    delivery_recover_expired_leases,
)
from varde.publishing.services.common import Claim, publishing_rules_for
from varde.publishing.services.outcomes import (
    delivery_attempt_note_request,
    delivery_hold_for_reconnect,
    delivery_mark_failed,
    delivery_mark_missed,
    delivery_mark_published,
    delivery_mark_retry,
    delivery_mark_unknown,
    delivery_reconcile_found,
    delivery_reconcile_later,
    delivery_reconcile_not_found,
)
from varde.publishing.services.removal import (
    Removal,
    delivery_can_remove,
    delivery_remove_from_network,
)
from varde.publishing.services.scheduling import (
    deliveries_bulk_schedule,
    deliveries_hold_for_review,
    deliveries_release_planned,
    deliveries_retry_failed,
    delivery_cancel,
    delivery_date_back_for_demo,
    delivery_plan,
    delivery_resolve_unknown,
    delivery_schedule,
    delivery_schedule_local,
)

__all__ = [
    "Claim",
    "Removal",
    "deliveries_bulk_schedule",
    "deliveries_hold_for_review",
    "deliveries_release_planned",
    "deliveries_retry_failed",
    "delivery_attempt_note_request",
    "delivery_can_remove",
    "delivery_cancel",
    "delivery_claim_next",
    "delivery_claim_unknown",
    "delivery_date_back_for_demo",
    "delivery_hold_for_reconnect",
    "delivery_mark_failed",
    "delivery_mark_missed",
    "delivery_mark_published",
    "delivery_mark_retry",
    "delivery_mark_unknown",
    "delivery_plan",
    "delivery_reconcile_found",
    "delivery_reconcile_later",
    "delivery_reconcile_not_found",
    "delivery_recover_expired_leases",
    "delivery_remove_from_network",
    "delivery_resolve_unknown",
    "delivery_schedule",
    "delivery_schedule_local",
    "publishing_rules_for",
]
