"""Every change to a delivery's state happens here, and only here.

Two kinds of callers: people (schedule, move, cancel, retry) and the engine (claim, then record
one outcome). Engine writes are conditional on the claim token, so a worker whose lease ran out
cannot overwrite what the worker after it did.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from varde.accounts.models import User, Workspace
from varde.accounts.services import audit_record
from varde.channels import services as channel_services
from varde.channels.models import ChannelStatus, ConnectedAccount
from varde.connectors.contracts import PublishResult
from varde.content.models import Post
from varde.publishing import conf, notify, wakeup
from varde.publishing.backoff import retry_delay
from varde.publishing.models import (
    AttemptKind,
    AttemptOutcome,
    Delivery,
    DeliveryAttempt,
    DeliveryState,
    FailureKind,
    PublishingRules,
)
from varde.publishing.timeutil import local_to_utc

# States a person may (re)schedule from: nothing is in flight and nothing is live.
RESCHEDULABLE = (
    DeliveryState.DRAFT,
    DeliveryState.SCHEDULED,
    DeliveryState.FAILED,
    DeliveryState.CANCELLED,
)
CANCELLABLE = (DeliveryState.DRAFT, DeliveryState.SCHEDULED, DeliveryState.FAILED)
_LEASE_CLEARED: dict[str, Any] = {"lease_owner": "", "lease_expires_at": None, "claim_token": ""}


@dataclass(frozen=True)
class Claim:
    """A delivery held by one worker, and the attempt row that records what happens."""

    delivery: Delivery
    attempt: DeliveryAttempt
    token: str


def _require_aware(value: datetime) -> None:
    if timezone.is_naive(value):
        raise ValueError("Delivery times must be timezone-aware.")


def publishing_rules_for(*, workspace: Workspace) -> PublishingRules:
    rules, _created = PublishingRules.objects.get_or_create(workspace=workspace)
    return rules


def _send_by(workspace: Workspace, at: datetime) -> datetime:
    cutoff = publishing_rules_for(workspace=workspace).late_cutoff_minutes
    return at + timedelta(minutes=cutoff)


# People: schedule, move, cancel, retry ------------------------------------------------------


@transaction.atomic
def delivery_schedule(
    *, post: Post, channel: ConnectedAccount, at: datetime, actor: User | None
) -> Delivery:
    """Schedule (or move) the post's delivery to one channel for the instant ``at``."""
    _require_aware(at)
    if channel.workspace_id != post.workspace_id:
        raise ValidationError(_("That channel belongs to another workspace."))
    delivery, _created = Delivery.objects.get_or_create(
        post=post, channel=channel, defaults={"workspace_id": post.workspace_id}
    )
    changed = Delivery.objects.filter(pk=delivery.pk, state__in=RESCHEDULABLE).update(
        state=DeliveryState.SCHEDULED,
        scheduled_at=at,
        scheduled_timezone=post.workspace.timezone,
        due_at=at,
        send_by=_send_by(post.workspace, at),
        tries=0,
        failure_kind="",
        last_error="",
        reconcile_note="",
        updated_at=timezone.now(),
    )
    if not changed:
        raise ValidationError(
            _("This post is being published or already published on %(channel)s.")
            % {"channel": channel.label}
        )
    delivery.refresh_from_db()
    audit_record(
        action="delivery.scheduled",
        workspace=post.workspace,
        actor=actor,
        target=delivery,
        detail={"post": post.pk, "channel": channel.pk, "at": at.isoformat()},
    )
    wakeup.announce_after_commit()
    return delivery


def delivery_schedule_local(
    *, post: Post, channel: ConnectedAccount, local: datetime, actor: User | None
) -> Delivery:
    """Schedule at a wall-clock time in the workspace's timezone (what a person types)."""
    at = local_to_utc(local, post.workspace.timezone)
    return delivery_schedule(post=post, channel=channel, at=at, actor=actor)


def deliveries_bulk_schedule(
    *, items: Iterable[tuple[Post, ConnectedAccount, datetime]], batch_size: int = 1000
) -> int:
    """Schedule many new deliveries at once (imports, the benchmark). No audit row each."""
    rows = []
    cutoffs: dict[int, int] = {}
    for post, channel, at in items:
        _require_aware(at)
        if post.workspace_id not in cutoffs:
            cutoffs[post.workspace_id] = publishing_rules_for(
                workspace=post.workspace
            ).late_cutoff_minutes
        rows.append(
            Delivery(
                workspace_id=post.workspace_id,
                post=post,
                channel=channel,
                state=DeliveryState.SCHEDULED,
                scheduled_at=at,
                scheduled_timezone=post.workspace.timezone,
                due_at=at,
                send_by=at + timedelta(minutes=cutoffs[post.workspace_id]),
            )
        )
    with transaction.atomic():
        Delivery.objects.bulk_create(rows, batch_size=batch_size)
        wakeup.announce_after_commit()
    return len(rows)


@transaction.atomic
def delivery_cancel(*, delivery: Delivery, actor: User | None) -> None:
    changed = Delivery.objects.filter(pk=delivery.pk, state__in=CANCELLABLE).update(
        state=DeliveryState.CANCELLED, due_at=None, updated_at=timezone.now()
    )
    if not changed:
        raise ValidationError(
            _("A post that is being published or already out cannot be cancelled.")
        )
    audit_record(
        action="delivery.cancelled", workspace=delivery.workspace, actor=actor, target=delivery
    )


@transaction.atomic
def deliveries_retry_failed(*, post: Post, actor: User | None, now: datetime | None = None) -> int:
    """Send the failed deliveries of a post again, now. The others are not touched."""
    now = now or timezone.now()
    failed = Delivery.objects.filter(post=post, state=DeliveryState.FAILED)
    ids = list(failed.values_list("pk", flat=True))
    changed = Delivery.objects.filter(pk__in=ids, state=DeliveryState.FAILED).update(
        state=DeliveryState.SCHEDULED,
        due_at=now,
        send_by=_send_by(post.workspace, now),
        tries=0,
        failure_kind="",
        updated_at=now,
    )
    if changed:
        audit_record(
            action="delivery.retried",
            workspace=post.workspace,
            actor=actor,
            target=post,
            detail={"deliveries": ids},
        )
        wakeup.announce_after_commit()
    return changed


@transaction.atomic
def delivery_resolve_unknown(*, delivery: Delivery, published: bool, url: str, actor: User) -> None:
    """A person checked the network by hand: the post is there (with its URL), or it is not."""
    if published:
        values: dict[str, Any] = {
            "state": DeliveryState.PUBLISHED,
            "network_url": url,
            "published_at": timezone.now(),
        }
    else:
        values = {"state": DeliveryState.SCHEDULED, "due_at": timezone.now(), "tries": 0}
    changed = Delivery.objects.filter(
        pk=delivery.pk, state=DeliveryState.UNKNOWN, lease_owner=""
    ).update(
        **values,
        reconcile_note=_("Settled by %(name)s.") % {"name": actor},
        updated_at=timezone.now(),
    )
    if changed:
        audit_record(
            action="delivery.resolved",
            workspace=delivery.workspace,
            actor=actor,
            target=delivery,
            detail={"published": published},
        )
        wakeup.announce_after_commit()


# The engine: claim -------------------------------------------------------------------------


def _first_due_id(candidates: Any) -> int | None:
    ordered = candidates.order_by("due_at", "id")
    if connection.vendor == "postgresql":
        # Rows other workers hold are skipped, not waited for; only the delivery row is locked.
        ordered = ordered.select_for_update(skip_locked=True, of=("self",))
    found = ordered.values_list("pk", flat=True)[:1]
    return next(iter(found), None)


def _claim(
    *,
    state: DeliveryState,
    next_state: DeliveryState,
    kind: AttemptKind,
    worker: str,
    now: datetime,
    extra: Q,
) -> Claim | None:
    with transaction.atomic():
        candidates = Delivery.objects.filter(
            Q(state=state, due_at__lte=now, channel__status=ChannelStatus.CONNECTED) & extra
        )
        delivery_id = _first_due_id(candidates)
        if delivery_id is None:
            return None
        token = uuid.uuid4().hex
        # The conditional UPDATE is the claim on SQLite (and a second guard on PostgreSQL):
        # of two workers that picked the same row, exactly one changes it.
        won = Delivery.objects.filter(Q(pk=delivery_id, state=state) & extra).update(
            state=next_state,
            lease_owner=worker,
            lease_expires_at=now + timedelta(seconds=conf.lease_seconds()),
            claim_token=token,
            tries=F("tries") + 1 if kind == AttemptKind.PUBLISH else F("tries"),
            updated_at=now,
        )
        if not won:
            return None
        delivery = Delivery.objects.select_related(
            "post", "post__author", "channel", "channel__owner", "workspace"
        ).get(pk=delivery_id)
        attempt = DeliveryAttempt.objects.create(
            delivery=delivery, kind=kind, worker=worker, started_at=now
        )
    return Claim(delivery=delivery, attempt=attempt, token=token)


def delivery_claim_next(*, worker: str, now: datetime) -> Claim | None:
    """Take the earliest due scheduled delivery, if any, for this worker."""
    return _claim(
        state=DeliveryState.SCHEDULED,
        next_state=DeliveryState.PUBLISHING,
        kind=AttemptKind.PUBLISH,
        worker=worker,
        now=now,
        extra=Q(),
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
        extra=Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now),
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
            **_LEASE_CLEARED,
        )
        DeliveryAttempt.objects.filter(
            delivery_id__in=ids, kind=AttemptKind.PUBLISH, outcome=AttemptOutcome.IN_PROGRESS
        ).update(outcome=AttemptOutcome.WORKER_LOST, finished_at=now)
    return recovered


# The engine: record one outcome ------------------------------------------------------------


def _finish_attempt(
    claim: Claim,
    *,
    now: datetime,
    outcome: AttemptOutcome,
    response: dict[str, Any] | None = None,
    error: str = "",
    request_summary: dict[str, Any] | None = None,
) -> None:
    started = claim.attempt.started_at
    fields: dict[str, Any] = {
        "outcome": outcome,
        "finished_at": now,
        "duration_ms": max(0, int((now - started).total_seconds() * 1000)),
        "response": response or {},
        "error": error,
    }
    if request_summary is not None:
        fields["request_summary"] = request_summary
    DeliveryAttempt.objects.filter(pk=claim.attempt.pk).update(**fields)


def _held(claim: Claim, state: DeliveryState) -> Any:
    return Delivery.objects.filter(pk=claim.delivery.pk, state=state, claim_token=claim.token)


def _published_values(result: PublishResult, now: datetime) -> dict[str, Any]:
    return {
        "state": DeliveryState.PUBLISHED,
        "network_post_id": result.network_post_id,
        "network_url": result.url,
        "published_at": result.published_at,
        "due_at": None,
        "last_error": "",
        "failure_kind": "",
        "updated_at": now,
        **_LEASE_CLEARED,
    }


@transaction.atomic
def delivery_mark_published(
    *,
    claim: Claim,
    result: PublishResult,
    now: datetime,
    request_summary: dict[str, Any],
    note: str = "",
) -> None:
    values = _published_values(result, now)
    if note:
        values["last_error"] = note
    if not _held(claim, DeliveryState.PUBLISHING).update(**values):
        # Our lease ran out and someone else took over. The network accepted the post, which
        # is the truth to record, unless the delivery already knows it is published.
        Delivery.objects.filter(pk=claim.delivery.pk).exclude(state=DeliveryState.PUBLISHED).update(
            **values
        )
    response = {"network_post_id": result.network_post_id, "url": result.url}
    _finish_attempt(
        claim,
        now=now,
        outcome=AttemptOutcome.PUBLISHED,
        response=response,
        request_summary=request_summary,
        error=note,
    )
    channel_services.channel_record_success(
        channel_id=claim.delivery.channel_id,
        last_success_at=claim.delivery.channel.last_success_at,
        now=now,
    )


@transaction.atomic
def delivery_mark_retry(
    *,
    claim: Claim,
    now: datetime,
    outcome: AttemptOutcome,
    error: str,
    retry_after: float | None,
    request_summary: dict[str, Any],
) -> None:
    """A temporary error before the network accepted anything: try again later."""
    tries = claim.delivery.tries
    if tries >= conf.max_tries():
        reason = _("Gave up after %(tries)s tries. Last error: %(error)s") % {
            "tries": tries,
            "error": error,
        }
        _fail(
            claim,
            now=now,
            kind=FailureKind.GAVE_UP,
            reason=reason,
            outcome=outcome,
            request_summary=request_summary,
        )
        return
    delay = retry_delay(
        tries=tries,
        retry_after=retry_after,
        base=conf.retry_base_seconds(),
        cap=conf.retry_cap_seconds(),
    )
    _held(claim, DeliveryState.PUBLISHING).update(
        state=DeliveryState.SCHEDULED,
        due_at=now + timedelta(seconds=delay),
        last_error=error,
        updated_at=now,
        **_LEASE_CLEARED,
    )
    _finish_attempt(
        claim,
        now=now,
        outcome=outcome,
        error=error,
        request_summary=request_summary,
        response={"retry_in_s": round(delay, 3), "retry_after": retry_after},
    )


def _fail(
    claim: Claim,
    *,
    now: datetime,
    kind: FailureKind,
    reason: str,
    outcome: AttemptOutcome,
    request_summary: dict[str, Any],
) -> None:
    changed = _held(claim, DeliveryState.PUBLISHING).update(
        state=DeliveryState.FAILED,
        failure_kind=kind,
        last_error=reason,
        due_at=None,
        updated_at=now,
        **_LEASE_CLEARED,
    )
    _finish_attempt(claim, now=now, outcome=outcome, error=reason, request_summary=request_summary)
    if changed:
        notify.tell_author_delivery_failed(delivery=claim.delivery, reason=reason)


@transaction.atomic
def delivery_mark_failed(
    *,
    claim: Claim,
    now: datetime,
    kind: FailureKind,
    reason: str,
    request_summary: dict[str, Any] | None = None,
) -> None:
    """The network refused the post (or Varde must not send it): fail and tell the author."""
    outcome = AttemptOutcome.REJECTED if kind == FailureKind.REJECTED else AttemptOutcome.SKIPPED
    _fail(
        claim,
        now=now,
        kind=kind,
        reason=reason,
        outcome=outcome,
        request_summary=request_summary or {},
    )


def delivery_mark_missed(*, claim: Claim, now: datetime) -> None:
    delivery = claim.delivery
    reason = _(
        "Missed: it was due at %(due)s, and the workspace publishes late posts for at most "
        "%(minutes)s minutes."
    ) % {
        "due": timezone.localtime(delivery.scheduled_at, timezone=_zone(delivery)).strftime(
            "%Y-%m-%d %H:%M"
        )
        if delivery.scheduled_at
        else "?",
        "minutes": publishing_rules_for(workspace=delivery.workspace).late_cutoff_minutes,
    }
    delivery_mark_failed(claim=claim, now=now, kind=FailureKind.MISSED, reason=reason)


def _zone(delivery: Delivery) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(delivery.scheduled_timezone or delivery.workspace.timezone)


@transaction.atomic
def delivery_mark_unknown(
    *, claim: Claim, now: datetime, error: str, request_summary: dict[str, Any]
) -> None:
    """The call may have reached the network: never resend blindly; the reconciler will ask."""
    _held(claim, DeliveryState.PUBLISHING).update(
        state=DeliveryState.UNKNOWN,
        due_at=now + timedelta(seconds=conf.reconcile_settle_seconds()),
        last_error=error,
        updated_at=now,
        **_LEASE_CLEARED,
    )
    _finish_attempt(
        claim,
        now=now,
        outcome=AttemptOutcome.UNKNOWN,
        error=error,
        request_summary=request_summary,
    )


@transaction.atomic
def delivery_hold_for_reconnect(
    *, claim: Claim, now: datetime, error: str, request_summary: dict[str, Any]
) -> None:
    """The token was refused: put the delivery back and stop the channel until reconnected.

    Nothing was published, so the delivery returns to ``scheduled``; the claim query skips
    channels that are not connected, which pauses every delivery of the channel at once.
    """
    _held(claim, DeliveryState.PUBLISHING).update(
        state=DeliveryState.SCHEDULED,
        tries=F("tries") - 1,
        last_error=error,
        updated_at=now,
        **_LEASE_CLEARED,
    )
    _finish_attempt(
        claim,
        now=now,
        outcome=AttemptOutcome.AUTH_EXPIRED,
        error=error,
        request_summary=request_summary,
    )
    channel = claim.delivery.channel
    if channel_services.channel_mark_needs_reconnect(channel_id=channel.pk, error=error):
        notify.tell_owner_channel_needs_reconnect(channel=channel, error=error)


# The engine: reconcile outcomes ------------------------------------------------------------


@transaction.atomic
def delivery_reconcile_found(*, claim: Claim, result: PublishResult, now: datetime) -> None:
    note = _("Found on the network: %(url)s") % {"url": result.url or result.network_post_id}
    _held(claim, DeliveryState.UNKNOWN).update(
        **_published_values(result, now), reconcile_note=note
    )
    _finish_attempt(
        claim,
        now=now,
        outcome=AttemptOutcome.FOUND,
        response={"network_post_id": result.network_post_id, "url": result.url},
    )


@transaction.atomic
def delivery_reconcile_not_found(*, claim: Claim, now: datetime) -> None:
    """The network does not have the post: sending it again cannot make a duplicate."""
    _held(claim, DeliveryState.UNKNOWN).update(
        state=DeliveryState.SCHEDULED,
        due_at=now,
        reconcile_note=_("Not found on the network; sent again."),
        updated_at=now,
        **_LEASE_CLEARED,
    )
    _finish_attempt(claim, now=now, outcome=AttemptOutcome.NOT_FOUND)
    wakeup.announce_after_commit()


@transaction.atomic
def delivery_reconcile_later(
    *, claim: Claim, now: datetime, note: str, retry_in: float | None
) -> None:
    """The check itself failed, or cannot be made: stay unknown; ``retry_in`` None waits for a
    person (the network offers no way to look the post up)."""
    _held(claim, DeliveryState.UNKNOWN).update(
        due_at=now + timedelta(seconds=retry_in) if retry_in is not None else None,
        reconcile_note=note,
        updated_at=now,
        **_LEASE_CLEARED,
    )
    _finish_attempt(claim, now=now, outcome=AttemptOutcome.ERROR, error=note)
