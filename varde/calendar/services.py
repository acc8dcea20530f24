"""What the calendar changes: a post's time (drag or keyboard) and imported posts.

Deliveries change only through ``publishing.services``; imported posts are saved with the
composer's ``composer.services.post_save_draft``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from varde.accounts.services import audit_record
from varde.composer.services import post_save_draft
from varde.content.services import Draft
from varde.lib.localformat import format_date
from varde.lib.timeutil import local_to_utc, utc_to_local
from varde.policy.guard import guard_refuse_blocked
from varde.publishing import selectors as publishing_selectors
from varde.publishing.choices import DeliveryState
from varde.publishing.services import delivery_plan, delivery_schedule
from varde.strategy.selectors import pillar_list

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace
    from varde.calendar.importer import ValidRow
    from varde.content.models import Post
    from varde.publishing.models import Delivery

# Draft deliveries are moved as plans; scheduled and failed ones are scheduled for the new time.
PLANNED = (DeliveryState.DRAFT,)
SCHEDULED = (DeliveryState.SCHEDULED, DeliveryState.FAILED)
GONE_OUT = (DeliveryState.PUBLISHING, DeliveryState.PUBLISHED, DeliveryState.UNKNOWN)


@dataclass(frozen=True)
class MoveResult:
    moved: tuple[str, ...]  # channel labels
    kept: tuple[str, ...]  # channels that had already gone out, left where they were
    offset: dt.timedelta
    to_local: dt.datetime  # where the dragged time landed, in the workspace's wall clock


@transaction.atomic
def post_move(
    *,
    post: Post,
    to_date: dt.date,
    to_time: dt.time | None,
    from_local: dt.datetime | None,
    actor: User | None,
    now: dt.datetime | None = None,
) -> MoveResult:
    """Move every not-yet-sent delivery of ``post`` by the same wall-clock offset.

    ``from_local`` is the time of the post that was dragged (a post can sit at different times
    on different channels; without it, the earliest). The target is ``to_date`` at ``to_time``,
    or at the dragged time of day when ``to_time`` is None. The offset is taken in the
    workspace's wall clock, so a post at 09:00 stays at 09:00 across a DST change. Channels
    where the post is being published or already out stay where they are, and the result says
    which.
    """
    zone = post.workspace.timezone
    now = now or timezone.now()
    deliveries = _dated_deliveries(post)
    movable = [d for d in deliveries if d.state in PLANNED + SCHEDULED]
    kept = tuple(d.channel.label for d in deliveries if d.state in GONE_OUT)
    _refuse_nothing_to_move(movable, kept)
    anchor = _anchor([_wall(d, zone) for d in movable], from_local)
    to_local = dt.datetime.combine(to_date, (to_time or anchor.time()).replace(second=0))
    offset = to_local - anchor
    if not offset:
        return MoveResult((), kept, offset, to_local)
    new_times = {d.pk: local_to_utc(_wall(d, zone) + offset, zone) for d in movable}
    _refuse_the_past(new_times.values(), now, zone)
    _replan(post, movable, new_times, actor)
    audit_record(
        action="post.moved",
        workspace=post.workspace,
        actor=actor,
        target=post,
        detail={
            "from": anchor.isoformat(),
            "to": to_local.isoformat(),
            "channels": [d.channel_id for d in movable],
            "kept": list(kept),
        },
    )
    return MoveResult(tuple(d.channel.label for d in movable), kept, offset, to_local)


def _dated_deliveries(post: Post) -> list[Delivery]:
    """The post's deliveries that have a time, earliest first (ties by channel name)."""
    return list(
        publishing_selectors.deliveries_of_post(post=post)
        .filter(scheduled_at__isnull=False)
        .exclude(state=DeliveryState.CANCELLED)
        .select_related("channel")
        .order_by("scheduled_at", "channel__label")
    )


def _refuse_nothing_to_move(movable: list[Delivery], kept: tuple[str, ...]) -> None:
    if movable:
        return
    if kept:
        raise ValidationError(
            _(
                "This post has already gone out on %(channels)s, so it cannot be moved. "
                "Write a new post instead."
            )
            % {"channels": ", ".join(kept)}
        )
    raise ValidationError(_("This post has no time in the calendar to move."))


def _wall(delivery: Delivery, zone: str) -> dt.datetime:
    """A delivery's time on the workspace's wall clock, where a move keeps 09:00 at 09:00."""
    assert delivery.scheduled_at is not None  # noqa: S101 - only dated deliveries are moved
    return utc_to_local(delivery.scheduled_at, zone).replace(tzinfo=None)


def _anchor(walls: list[dt.datetime], from_local: dt.datetime | None) -> dt.datetime:
    """The time that was dragged: ``from_local`` when the post sits there, else the earliest."""
    anchor = from_local.replace(tzinfo=None) if from_local is not None else None
    return anchor if anchor is not None and anchor in walls else walls[0]


def _refuse_the_past(new_times: Iterable[dt.datetime], now: dt.datetime, zone: str) -> None:
    if any(at <= now for at in new_times):
        raise ValidationError(
            _("That time has already passed. Pick a time later than now (%(now)s).")
            % {"now": format_date(utc_to_local(now, zone), "weekday_day_month_long_time")}
        )


def _replan(
    post: Post, movable: list[Delivery], new_times: dict[int, dt.datetime], actor: User | None
) -> None:
    """Plans move as plans; scheduled deliveries are scheduled again, so the guard runs again."""
    rescheduled = [d.channel_id for d in movable if d.state in SCHEDULED]
    if rescheduled:
        guard_refuse_blocked(post=post, channel_ids=rescheduled)
    for delivery in movable:
        at = new_times[delivery.pk]
        if delivery.state in PLANNED:
            delivery_plan(post=post, channel=delivery.channel, at=at, actor=actor)
        else:
            delivery_schedule(post=post, channel=delivery.channel, at=at, actor=actor)


@transaction.atomic
def posts_import(*, workspace: Workspace, rows: Sequence[ValidRow], actor: User) -> int:
    """Create one draft post per row, planned at its time on its channels: all or nothing.

    Each row goes through the composer's own save (``post_save_draft``), so an imported post is
    the same as one written by hand: checked the same way, planned with draft deliveries, and
    recorded in the audit log.
    """
    zone = workspace.timezone
    pillars = {pillar.pk: pillar for pillar in pillar_list(workspace)}
    for row in rows:
        draft = Draft(
            text=row.text,
            channels=list(row.channels),
            campaign=row.campaign,
            pillar=pillars.get(row.pillar_id) if row.pillar_id else None,
            mix_category=row.mix_category,
            is_paid=row.is_paid,
            link_url=row.link,
            planned_at=local_to_utc(row.local_at, zone),
        )
        post_save_draft(workspace=workspace, actor=actor, draft=draft)
    audit_record(
        action="post.imported",
        workspace=workspace,
        actor=actor,
        detail={"posts": len(rows)},
    )
    return len(rows)
