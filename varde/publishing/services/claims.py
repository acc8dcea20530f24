"""The engine takes work: one due delivery per transaction, with a lease."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from varde.channels.choices import ChannelStatus
from varde.content.selectors import media_exists_subquery, variant_text_subquery
from varde.publishing import conf
from varde.publishing.choices import AttemptKind, AttemptOutcome, DeliveryState
from varde.publishing.models import Delivery, DeliveryAttempt
from varde.publishing.prepared import PreparedSelect
from varde.publishing.services.common import LEASE_CLEARED, Claim

Describe = Callable[[Delivery], dict[str, Any]]

# The engine: claim -------------------------------------------------------------------------


# What the engine needs of a claimed delivery, read with the row itself: one statement, not
# one per relation (the engine sends thousands a minute, so every statement counts).
_SEND_RELATIONS = ("post", "post__author", "channel", "workspace")


def _variant_text() -> Subquery:
    """The text of the post's variant for the delivery's channel; NULL when it has none."""
    return variant_text_subquery(post=OuterRef("post"), channel=OuterRef("channel"))


def _due(state: DeliveryState, extra: Callable[[datetime], Q]) -> Callable[[datetime], Any]:
    """The rows in ``state`` due at ``now``, earliest first, with what the engine needs."""

    def build(now: datetime) -> Any:
        ordered = (
            Delivery.objects.filter(
                Q(state=state, due_at__lte=now, channel__status=ChannelStatus.CONNECTED)
                & extra(now)
            )
            .select_related(*_SEND_RELATIONS)
            .annotate(
                variant_text=_variant_text(),
                has_media=media_exists_subquery(post=OuterRef("post")),
            )
            .order_by("due_at", "id")
        )
        if connection.vendor == "postgresql":
            # Rows other workers hold are skipped, not waited for; only the delivery row is
            # locked.
            ordered = ordered.select_for_update(skip_locked=True, of=("self",))
        return ordered

    return build


def _lease_free(now: datetime) -> Q:
    return Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now)


# Built once per process: see varde/publishing/prepared.py.
_DUE_TO_SEND = PreparedSelect(_due(DeliveryState.SCHEDULED, lambda now: Q()), Delivery.due_at.field)
_DUE_TO_CHECK = PreparedSelect(_due(DeliveryState.UNKNOWN, _lease_free), Delivery.due_at.field)


def _claim(
    *,
    state: DeliveryState,
    next_state: DeliveryState,
    kind: AttemptKind,
    worker: str,
    now: datetime,
    due: PreparedSelect,
    extra: Q,
    describe: Describe | None = None,
) -> Claim | None:
    with transaction.atomic():
        delivery = due.first(now)
        if delivery is None:
            return None
        token = uuid.uuid4().hex
        claimed = {
            "state": next_state,
            "lease_owner": worker,
            "lease_expires_at": now + timedelta(seconds=conf.lease_seconds()),
            "claim_token": token,
            "updated_at": now,
        }
        # The conditional UPDATE is the claim on SQLite (and a second guard on PostgreSQL):
        # of two workers that picked the same row, exactly one changes it.
        won = Delivery.objects.filter(Q(pk=delivery.pk, state=state) & extra).update(
            tries=F("tries") + 1 if kind == AttemptKind.PUBLISH else F("tries"), **claimed
        )
        if not won:
            return None
        # The row as the UPDATE left it, without reading it again. Nothing else can have
        # changed it since it was read: PostgreSQL holds its row lock (FOR UPDATE), and SQLite
        # transactions are IMMEDIATE, so this one has held the write lock since BEGIN.
        for name, value in claimed.items():
            setattr(delivery, name, value)
        if kind == AttemptKind.PUBLISH:
            delivery.tries += 1
        attempt = DeliveryAttempt.objects.create(
            delivery=delivery,
            kind=kind,
            worker=worker,
            started_at=now,
            request_summary=describe(delivery) if describe is not None else {},
        )
    return Claim(delivery=delivery, attempt=attempt, token=token)


def delivery_claim_next(
    *, worker: str, now: datetime, describe: Describe | None = None
) -> Claim | None:
    """Take the earliest due scheduled delivery, if any, for this worker.

    ``describe(delivery)`` gives what is about to be sent (the text, above all); it is kept
    on the attempt in the claim's own transaction. A worker that dies mid-call records no
    outcome, and the reconciler must then look for this text, which may differ from the
    post's text by then. Kept here rather than in a write of its own before the call: one
    transaction fewer per delivery.
    """
    return _claim(
        state=DeliveryState.SCHEDULED,
        next_state=DeliveryState.PUBLISHING,
        kind=AttemptKind.PUBLISH,
        worker=worker,
        now=now,
        due=_DUE_TO_SEND,
        extra=Q(),
        describe=describe,
    )


def delivery_claim_unknown(*, worker: str, now: datetime) -> Claim | None:
    """Take an ``unknown`` delivery that is due for a check with the network.

    It stays ``unknown`` while checked; the lease only stops two workers asking at once.
    """
    return _claim(
        state=DeliveryState.UNKNOWN,
        next_state=DeliveryState.UNKNOWN,
        kind=AttemptKind.RECONCILE,
        worker=worker,
        now=now,
        due=_DUE_TO_CHECK,
        extra=_lease_free(now),
    )


def delivery_recover_expired_leases(*, now: datetime) -> int:
    """Deliveries whose worker vanished mid-call become ``unknown``: the network may have the
    post, so they are checked before anything is sent again."""
    with transaction.atomic():
        expired = Delivery.objects.filter(
            state=DeliveryState.PUBLISHING, lease_expires_at__lt=now
        ).order_by("id")
        if connection.vendor == "postgresql":
            expired = expired.select_for_update(skip_locked=True)
        ids = list(expired.values_list("pk", flat=True)[:500])
        if not ids:
            return 0
        recovered = Delivery.objects.filter(
            pk__in=ids, state=DeliveryState.PUBLISHING, lease_expires_at__lt=now
        ).update(
            state=DeliveryState.UNKNOWN,
            due_at=now,
            last_error=_("The worker stopped while publishing; checking with the network."),
            updated_at=now,
            **LEASE_CLEARED,
        )
        DeliveryAttempt.objects.filter(
            delivery_id__in=ids, kind=AttemptKind.PUBLISH, outcome=AttemptOutcome.IN_PROGRESS
        ).update(outcome=AttemptOutcome.WORKER_LOST, finished_at=now)
    return recovered
