"""The engine records what happened, conditional on its claim token."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from varde.channels import services as channel_services
from varde.channels.notices import channel_tell_owner_needs_reconnect
from varde.lib import server_prepared
from varde.lib.localformat import format_date
from varde.lib.prepared_writes import PreparedUpdate
from varde.publishing import conf, notify, wakeup
from varde.publishing.backoff import retry_delay
from varde.publishing.choices import AttemptOutcome, DeliveryState, FailureKind
from varde.publishing.models import Delivery, DeliveryAttempt
from varde.publishing.services.common import LEASE_CLEARED, Claim, publishing_rules_for

if TYPE_CHECKING:
    from varde.connectors.contracts import PublishResult

# The engine: record one outcome ------------------------------------------------------------

# The writes of every send, their SQL built once (varde/lib/prepared_writes.py; fast path:
# change only with bench/publish.py).
_FINISHED = ("outcome", "finished_at", "duration_ms", "response", "error")
_FINISH_ATTEMPT = PreparedUpdate(DeliveryAttempt, set_fields=_FINISHED, where_fields=("id",))
_FINISH_ATTEMPT_WITH_REQUEST = PreparedUpdate(
    DeliveryAttempt, set_fields=(*_FINISHED, "request_summary"), where_fields=("id",)
)
_PUBLISHED = (
    "state",
    "network_post_id",
    "network_url",
    "published_at",
    "due_at",
    "last_error",
    "failure_kind",
    "updated_at",
    *LEASE_CLEARED,
)
_HELD_BECOMES_PUBLISHED = PreparedUpdate(
    Delivery, set_fields=_PUBLISHED, where_fields=("id", "state", "claim_token")
)


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
    if request_summary:  # empty: keep what the claim stored
        fields["request_summary"] = request_summary
        _FINISH_ATTEMPT_WITH_REQUEST.run(fields, {"id": claim.attempt.pk})
    else:
        _FINISH_ATTEMPT.run(fields, {"id": claim.attempt.pk})


@transaction.atomic
def delivery_attempt_note_request(*, claim: Claim, request_summary: dict[str, Any]) -> None:
    """Keep what is about to be sent, before the network is called, when it differs from the
    text kept at the claim (a link with its UTM parameters is added after the claim): a worker
    that dies mid-call records no outcome, and the reconciler looks for this text."""
    DeliveryAttempt.objects.filter(pk=claim.attempt.pk, outcome=AttemptOutcome.IN_PROGRESS).update(
        request_summary=request_summary
    )


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
        **LEASE_CLEARED,
    }


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
    held = {"id": claim.delivery.pk, "state": DeliveryState.PUBLISHING, "claim_token": claim.token}
    # Its commit does not wait for the disk on PostgreSQL: were it lost in a crash of the
    # database server, the lease runs out and the reconciler finds the post at the network.
    with transaction.atomic(), server_prepared.commit_not_awaited():
        if not _HELD_BECOMES_PUBLISHED.run(values, held):
            # Our lease ran out and someone else took over. The network accepted the post,
            # which is the truth to record, unless the delivery already knows it is published.
            Delivery.objects.filter(pk=claim.delivery.pk).exclude(
                state=DeliveryState.PUBLISHED
            ).update(**values)
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
        **LEASE_CLEARED,
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
        **LEASE_CLEARED,
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
        "due": format_date(
            timezone.localtime(delivery.scheduled_at, timezone=_zone(delivery)),
            "day_month_year_time",
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
        **LEASE_CLEARED,
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
        **LEASE_CLEARED,
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
        channel_tell_owner_needs_reconnect(channel=channel, error=error)


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
        **LEASE_CLEARED,
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
        **LEASE_CLEARED,
    )
    _finish_attempt(claim, now=now, outcome=AttemptOutcome.ERROR, error=note)
