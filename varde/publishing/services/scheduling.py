"""What people do: schedule, move, cancel, retry, settle an unknown by hand."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from varde.accounts.services import audit_record
from varde.lib.timeutil import local_to_utc
from varde.publishing import wakeup
from varde.publishing.choices import DeliveryState
from varde.publishing.models import Delivery, DeliveryAttempt
from varde.publishing.services.common import (
    CANCELLABLE,
    LEASE_CLEARED,
    RESCHEDULABLE,
    publishing_rules_for,
    require_aware,
    send_by_for,
)

if TYPE_CHECKING:
    from varde.accounts.models import User
    from varde.channels.models import ConnectedAccount
    from varde.content.models import Post

# People: schedule, move, cancel, retry ------------------------------------------------------


@transaction.atomic
def delivery_schedule(
    *, post: Post, channel: ConnectedAccount, at: datetime, actor: User | None
) -> Delivery:
    """Schedule (or move) the post's delivery to one channel for the instant ``at``."""
    require_aware(at)
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
        send_by=send_by_for(post.workspace, at),
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


@transaction.atomic
def delivery_plan(
    *, post: Post, channel: ConnectedAccount, at: datetime | None, actor: User | None
) -> Delivery:
    """Put (or move) the post on one channel at ``at`` without sending it: a draft delivery.

    Drafts and posts waiting for approval sit in the calendar at their planned time;
    ``deliveries_release_planned`` schedules them once the post is approved.
    """
    if at is not None:
        require_aware(at)
    if channel.workspace_id != post.workspace_id:
        raise ValidationError(_("That channel belongs to another workspace."))
    delivery, _created = Delivery.objects.get_or_create(
        post=post, channel=channel, defaults={"workspace_id": post.workspace_id}
    )
    changed = Delivery.objects.filter(pk=delivery.pk, state__in=RESCHEDULABLE).update(
        state=DeliveryState.DRAFT,
        scheduled_at=at,
        scheduled_timezone=post.workspace.timezone,
        due_at=None,
        send_by=None,
        updated_at=timezone.now(),
    )
    if not changed:
        raise ValidationError(
            _("This post is being published or already published on %(channel)s.")
            % {"channel": channel.label}
        )
    delivery.refresh_from_db()
    return delivery


@transaction.atomic
def deliveries_release_planned(*, post: Post, actor: User | None) -> list[Delivery]:
    """Schedule every draft delivery of the post that has a planned time (after approval)."""
    released = []
    planned = Delivery.objects.filter(
        post=post, state=DeliveryState.DRAFT, scheduled_at__isnull=False
    ).select_related("channel")
    for delivery in planned:
        at = delivery.scheduled_at
        if at is not None:  # always, by the filter; this tells mypy
            released.append(
                delivery_schedule(post=post, channel=delivery.channel, at=at, actor=actor)
            )
    return released


@transaction.atomic
def deliveries_hold_for_review(*, post: Post) -> int:
    """Take a post's scheduled deliveries back to draft (it was edited and needs approval)."""
    return Delivery.objects.filter(post=post, state=DeliveryState.SCHEDULED).update(
        state=DeliveryState.DRAFT, due_at=None, send_by=None, updated_at=timezone.now()
    )


def deliveries_bulk_schedule(
    *, items: Iterable[tuple[Post, ConnectedAccount, datetime]], batch_size: int = 1000
) -> int:
    """Schedule many new deliveries at once (imports, the benchmark). No audit row each."""
    rows = []
    cutoffs: dict[int, int] = {}
    for post, channel, at in items:
        require_aware(at)
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
        send_by=send_by_for(post.workspace, now),
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
def delivery_resolve_unknown(
    *, delivery: Delivery, published: bool, url: str, actor: User, now: datetime | None = None
) -> bool:
    """A person checked the network by hand: the post is there (with its URL), or it is not.

    "Not there" schedules it to be sent now, with a fresh late cut-off: the person decided.
    Refused (False) when the delivery is no longer unknown, or a worker is asking the network
    about it right now.
    """
    now = now or timezone.now()
    if published:
        values: dict[str, Any] = {
            "state": DeliveryState.PUBLISHED,
            "network_url": url,
            "published_at": now,
            "due_at": None,
        }
        note = _("%(name)s found it on the network.") % {"name": actor}
    else:
        values = {
            "state": DeliveryState.SCHEDULED,
            "due_at": now,
            "send_by": send_by_for(delivery.workspace, now),
            "tries": 0,
        }
        note = _("%(name)s found it missing on the network; sent again.") % {"name": actor}
    changed = (
        Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.UNKNOWN)
        .filter(Q(lease_owner="") | Q(lease_expires_at__lt=now))
        .update(
            **values,
            **LEASE_CLEARED,
            reconcile_note=note,
            updated_at=now,
        )
    )
    if changed:
        audit_record(
            action="delivery.resolved",
            workspace=delivery.workspace,
            actor=actor,
            target=delivery,
            detail={"published": published, "url": url, "post": delivery.post_id},
        )
        if not published:
            wakeup.announce_after_commit()
    return bool(changed)


@transaction.atomic
def delivery_date_back_for_demo(*, delivery: Delivery, at: datetime) -> Delivery:
    """The demo's sent posts stand for posts of earlier weeks: move their times (schedule,
    publication, attempts) back to ``at``. Only the demo calls this; the engine cannot send into
    the past, and a demo whose every post went out at the same second is not believable."""
    require_aware(at)
    delivery.refresh_from_db()
    shift = at - (delivery.scheduled_at or at)
    Delivery.objects.filter(pk=delivery.pk).update(
        scheduled_at=at,
        published_at=(delivery.published_at + shift) if delivery.published_at else None,
        send_by=(delivery.send_by + shift) if delivery.send_by else None,
    )
    for attempt in DeliveryAttempt.objects.filter(delivery=delivery):
        attempt.started_at += shift
        if attempt.finished_at is not None:
            attempt.finished_at += shift
        attempt.save(update_fields=["started_at", "finished_at"])
    delivery.refresh_from_db()
    return delivery
