"""The calendar page as the template draws it: posts in a month grid, a week of hours or a list.

The view parses the request (period, filters, colouring) and hands over; this module reads
through the selectors and shapes what the template shows. The number of queries stays fixed
whatever the number of posts (``test_query_count_does_not_grow_with_the_number_of_posts``):
add a query here only outside the loops over entries and days.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from django.http import QueryDict
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from varde.accounts.permissions import Perm, role_can
from varde.calendar import meters, selectors
from varde.calendar.periods import local_midnight_utc
from varde.calendar.plan import PlannedChannel, plan_with_accounts
from varde.lib.localformat import zone_label
from varde.lib.timeutil import local_to_utc, utc_to_local

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.calendar.periods import Period

MONTH_CELL_LIMIT = 3  # posts shown in a month cell before "+n more"
MONTH_SLOT_LIMIT = 3  # open slots shown in a month cell
WEEK_CELL_LIMIT = 2  # posts shown in one hour of the week view before "+n more"
LIST_PAGE_SIZE = 50  # posts on one page of the list (agenda)
MORE_CHUNK = 50  # posts one "+n more" opens; past that, another "+n more"
WEEK_FIRST_HOUR, WEEK_LAST_HOUR = 7, 20  # the week always shows these; posts outside widen it
PLACEHOLDER_ID = 2_147_483_647
FILTER_PARAMS = ("channel", "campaign", "pillar", "author", "status")

Slots = dict[dt.date, list[selectors.Slot]]
EntriesByDay = dict[dt.date, list[selectors.Entry]]


@dataclass(frozen=True)
class Viewer:
    """Who looks at the calendar: what they may move depends on their role and authorship."""

    role: str
    user_id: int | None

    def may_edit(self, entry: selectors.Entry) -> bool:
        """May unschedule or delete the post (the composer's rule: editors, or its author)."""
        if not role_can(self.role, Perm.CONTENT_DRAFT):
            return False
        return role_can(self.role, Perm.CONTENT_EDIT) or entry.author_id == self.user_id

    def can_move(self, entry: selectors.Entry) -> bool:
        if not entry.movable or not role_can(self.role, Perm.CONTENT_DRAFT):
            return False
        if not role_can(self.role, Perm.CONTENT_EDIT) and entry.author_id != self.user_id:
            return False
        return not (entry.has_scheduled and not role_can(self.role, Perm.CONTENT_PUBLISH))


@dataclass(frozen=True)
class Shown:
    """What the page shows: the period, its posts by day and the plan's open slots."""

    period: Period
    today: dt.date
    entries: list[selectors.Entry]  # only those the view draws (see ``window_for``)
    by_day: EntriesByDay
    slots: Slots
    page: int = 1  # the list's page


def window_for(period: Period, page: int) -> selectors.EntryWindow:
    """What a view reads: a month a few posts a day, a week a few an hour, the list a page.

    The cells' limits are applied by the database, so a month of 5,000 posts reads about a
    hundred; "+n more" opens the rest of a day (or hour) on demand (``more_page``).
    """
    zone = period.zone
    if period.view == "month":
        starts = [local_midnight_utc(day, zone) for day in period.days]
        return selectors.EntryWindow(tuple(starts), MONTH_CELL_LIMIT)
    if period.view == "week":
        return selectors.EntryWindow(_hour_starts(period.days, zone), WEEK_CELL_LIMIT)
    skip = (page - 1) * LIST_PAGE_SIZE
    # One more than a page: whether there is a next page, and where its days begin.
    return selectors.EntryWindow((period.start_utc,), LIST_PAGE_SIZE + 1, skip)


def _hour_starts(days: list[dt.date], zone: str) -> tuple[dt.datetime, ...]:
    """The UTC instant each local hour of ``days`` begins (an hour DST skips is left out)."""
    starts = {
        local_to_utc(dt.datetime.combine(day, dt.time(hour)), zone)
        for day in days
        for hour in range(24)
    }
    return tuple(sorted(starts))


def bucket_totals(
    entries: list[selectors.Entry], key: Callable[[selectors.Entry], Any]
) -> Counter[Any]:
    """How many posts each cell holds in all, from the sizes of the buckets read.

    A cell is usually one bucket; the hour an autumn night repeats is one local hour, two
    buckets.
    """
    sizes = {(key(entry), entry.bucket): entry.bucket_total for entry in entries}
    totals: Counter[Any] = Counter()
    for (cell, _bucket), size in sizes.items():
        totals[cell] += size
    return totals


def today_in(zone: str) -> dt.date:
    return utc_to_local(timezone.now(), zone).date()


def query(params: QueryDict, **changes: Any) -> str:
    """The current query string with some parameters changed (None removes one)."""
    kept = {k: params.get(k, "") for k in ("view", "date", "page", "colour", *FILTER_PARAMS)}
    kept.update({k: ("" if v is None else str(v)) for k, v in changes.items()})
    return urlencode({k: v for k, v in kept.items() if v})


def calendar_page(
    *,
    workspace: Workspace,
    viewer: Viewer,
    period: Period,
    filters: selectors.Filters,
    colour_by: str,
    params: QueryDict,
    page: int = 1,
) -> dict[str, Any]:
    """Everything the calendar template needs for one period; ``params`` only builds links."""
    channels = selectors.calendar_channels(workspace)
    pillars = selectors.calendar_pillars(workspace)
    channel_colours = selectors.colour_of([c.pk for c in channels])
    pillar_colours = selectors.colour_of([p.id for p in pillars])
    entries = selectors.calendar_entries(
        workspace=workspace,
        start=period.start_utc,
        end=period.end_utc,
        filters=filters,
        channel_colours=channel_colours,
        pillar_colours=pillar_colours,
        window=window_for(period, page),
    )
    _link_entries(entries, viewer, workspace.slug)
    now = timezone.now()
    planned = plan_with_accounts(workspace, channels)
    shown = Shown(
        period=period,
        today=today_in(workspace.timezone),
        entries=entries,
        by_day=selectors.entries_by_day(entries),
        slots=_open_slots(workspace, period, planned, now, filters.channel),
        page=page,
    )
    context: dict[str, Any] = {
        "nav_active": "calendar",
        "period": period,
        "view": period.view,
        "today": shown.today,
        "zone_label": _zone_label(workspace.timezone, period.anchor),
        "entry_count": sum(bucket_totals(entries, lambda _entry: 0).values()),
        "colour_by": colour_by,
        "filters": filters,
        "channels": channels,
        "channel_colours": channel_colours,
        "pillars": [(p, pillar_colours[p.id]) for p in pillars],
        "more_url": reverse("calendar:more", kwargs={"workspace": workspace.slug}),
        "campaigns": selectors.calendar_campaigns(workspace),
        "authors": selectors.calendar_authors(workspace),
        "statuses": selectors.STATUS_CHOICES,
        **_links(params, period),
        "can_draft": role_can(viewer.role, Perm.CONTENT_DRAFT),
        **_entry_links(workspace, query(params)),
        "meters": meters.plan_meters(
            workspace=workspace, week=period.anchor, now=now, accounts=channels, planned=planned
        ),
    }
    context.update(VIEW_BODIES[period.view](shown, params))
    return context


@dataclass(frozen=True)
class MoreRequest:
    """ "+n more": the posts of one day (or one hour of it) after the first ``skip``."""

    day: dt.date
    hour: int | None
    skip: int


def more_page(
    *,
    workspace: Workspace,
    viewer: Viewer,
    asked: MoreRequest,
    filters: selectors.Filters,
    colour_by: str,
    params: QueryDict,
) -> dict[str, Any]:
    """The rest of a crowded day or hour, ``MORE_CHUNK`` at a time, drawn as the calendar draws."""
    zone = workspace.timezone
    if asked.hour is None:
        start = local_midnight_utc(asked.day, zone)
        end = local_midnight_utc(asked.day + dt.timedelta(days=1), zone)
    else:
        start = local_to_utc(dt.datetime.combine(asked.day, dt.time(asked.hour)), zone)
        end = start + dt.timedelta(hours=1)
    channels = selectors.calendar_channels(workspace)
    entries = selectors.calendar_entries(
        workspace=workspace,
        start=start,
        end=end,
        filters=filters,
        channel_colours=selectors.colour_of([c.pk for c in channels]),
        pillar_colours=selectors.colour_of([p.id for p in selectors.calendar_pillars(workspace)]),
        window=selectors.EntryWindow((start,), MORE_CHUNK, asked.skip),
    )
    _link_entries(entries, viewer, workspace.slug)
    total = entries[0].bucket_total if entries else 0
    back = query(params, hour=None, skip=None)
    return {
        "nav_active": "calendar",
        "day": asked.day,
        "hour": asked.hour,
        "entries": entries,
        "colour_by": colour_by,
        "query": back,
        "more_url": reverse("calendar:more", kwargs={"workspace": workspace.slug}),
        "more_cell": _more(params, asked.day, asked.skip + len(entries), total, hour=asked.hour),
        **_entry_links(workspace, back),
    }


def _entry_links(workspace: Workspace, back: str) -> dict[str, str]:
    """What every entry's controls link to: moving, the post's pages, the way back."""
    calendar_back = reverse("calendar:calendar", kwargs={"workspace": workspace.slug}) + "?" + back
    return {
        # "/", "?" and "=" may stand in a query's value as they are; "&" and "#" may not.
        "calendar_back_encoded": quote(calendar_back, safe="/?="),
        "move_url": reverse("calendar:move", kwargs={"workspace": workspace.slug}),
        "post_root": reverse(
            "content:post", kwargs={"workspace": workspace.slug, "post_id": PLACEHOLDER_ID}
        ).replace(f"{PLACEHOLDER_ID}/", ""),
        "calendar_back": calendar_back,
    }


def _link_entries(entries: list[selectors.Entry], viewer: Viewer, workspace_slug: str) -> None:
    """Each entry's link and whether this viewer may drag it."""
    url_pattern = _post_url_pattern(workspace_slug)
    for entry in entries:
        entry.can_move = viewer.can_move(entry)
        entry.may_edit = viewer.may_edit(entry)
        entry.url = url_pattern.replace("{id}", str(entry.post_id))


def _post_url_pattern(workspace_slug: str) -> str:
    """The link of a post (the composer's edit page, else its publishing status), with "{id}".

    Reversed once per page, not once per post: a month can hold thousands.
    """
    for name in ("content:post_edit", "publishing:post_status"):
        try:
            url = reverse(name, kwargs={"workspace": workspace_slug, "post_id": PLACEHOLDER_ID})
        except NoReverseMatch:
            continue
        return url.replace(str(PLACEHOLDER_ID), "{id}")
    return ""


def _open_slots(
    workspace: Workspace,
    period: Period,
    planned: list[PlannedChannel],
    now: dt.datetime,
    channel_id: int | None,
) -> Slots:
    """The plan's open slots, only the filtered channel's when the page shows one channel."""
    slots = selectors.open_slots(workspace=workspace, period=period, planned=planned, now=now)
    if channel_id is None:
        return slots
    return {
        day: [s for s in day_slots if s.channel_id == channel_id]
        for day, day_slots in slots.items()
    }


def _zone_label(zone: str, day: dt.date) -> str:
    """ "norsk tid (UTC+01:00)": a place the reader knows, and whether summer time is on."""
    return zone_label(zone, day)


def _links(params: QueryDict, period: Period) -> dict[str, str]:
    """The page's links: the same filters with another period, view or colouring."""
    return {
        "query": query(params),
        "query_prev": query(params, date=period.previous_anchor.isoformat()),
        "query_next": query(params, date=period.next_anchor.isoformat()),
        "query_today": query(params, date=None),
        "query_month": query(params, view="month"),
        "query_week": query(params, view="week"),
        "query_list": query(params, view="list"),
        "query_colour_channel": query(params, colour=None),
        "query_colour_pillar": query(params, colour="pillar"),
    }


def _more(
    params: QueryDict, day: dt.date, shown: int, total: int, hour: int | None = None
) -> dict[str, Any]:
    """The "+n more" of a cell: how many more, and the query that opens them (``more_page``)."""
    more = max(0, total - shown)
    if not more:
        return {"more": 0}
    return {
        "more": more,
        "more_query": query(params, page=None, date=day.isoformat(), hour=hour, skip=shown),
    }


# One body per view; each returns the keys only its template part reads.


def _month_body(shown: Shown, params: QueryDict) -> dict[str, Any]:
    month = shown.period.anchor.month
    totals = bucket_totals(shown.entries, lambda entry: entry.local_at.date())
    return {
        "month_weeks": [
            [
                _month_cell(shown, params, day, totals[day], in_month=day.month == month)
                for day in week
            ]
            for week in shown.period.weeks
        ]
    }


def _month_cell(
    shown: Shown, params: QueryDict, day: dt.date, total: int, *, in_month: bool
) -> dict[str, Any]:
    entries = shown.by_day.get(day, [])[:MONTH_CELL_LIMIT]
    return {
        "day": day,
        "in_month": in_month,
        "is_today": day == shown.today,
        "entries": entries,
        **_more(params, day, len(entries), total),
        "slots": shown.slots.get(day, [])[:MONTH_SLOT_LIMIT],
    }


def _week_body(shown: Shown, params: QueryDict) -> dict[str, Any]:
    first, last = _week_hours(shown)
    days = shown.period.days
    by_cell: dict[tuple[dt.date, int], list[selectors.Entry]] = defaultdict(list)
    for entry in shown.entries:
        by_cell[entry.local_at.date(), entry.local_at.hour].append(entry)
    totals = bucket_totals(
        shown.entries, lambda entry: (entry.local_at.date(), entry.local_at.hour)
    )
    return {
        "week_days": [{"day": d, "is_today": d == shown.today} for d in days],
        "week_rows": [
            {
                "hour": hour,
                "label": f"{hour:02d}:00",
                "cells": [
                    _week_cell(shown, params, day, hour, by_cell.get((day, hour), []), totals)
                    for day in days
                ],
            }
            for hour in range(first, last + 1)
        ],
    }


def _week_hours(shown: Shown) -> tuple[int, int]:
    """The first and last hour rows: the working day, widened to every post and open slot."""
    hours = [e.local_at.hour for e in shown.entries] + [
        s.local_at.hour for day_slots in shown.slots.values() for s in day_slots
    ]
    return min([WEEK_FIRST_HOUR, *hours]), max([WEEK_LAST_HOUR, *hours])


def _week_cell(  # noqa: PLR0917 - one cell's parts
    shown: Shown,
    params: QueryDict,
    day: dt.date,
    hour: int,
    entries: list[selectors.Entry],
    totals: Counter[Any],
) -> dict[str, Any]:
    entries = entries[:WEEK_CELL_LIMIT]
    return {
        "day": day,
        "hour": hour,
        "entries": entries,
        **_more(params, day, len(entries), totals[day, hour], hour=hour),
        "slots": [s for s in shown.slots.get(day, []) if s.local_at.hour == hour],
    }


def _list_body(shown: Shown, params: QueryDict) -> dict[str, Any]:
    """One page of the list: its posts by day, with the open slots of the days it covers.

    The window read one post past the page: its day is where the next page begins, so the open
    slots of the days between two pages are shown once, on the later page.
    """
    drawn = shown.entries[:LIST_PAGE_SIZE]
    following = shown.entries[LIST_PAGE_SIZE:]
    total = drawn[0].bucket_total if drawn else 0
    first = drawn[0].local_at.date() if drawn and shown.page > 1 else shown.period.first_day
    last = (
        following[0].local_at.date() - dt.timedelta(days=1) if following else shown.period.last_day
    )
    by_day = selectors.entries_by_day(drawn)
    skipped = (shown.page - 1) * LIST_PAGE_SIZE
    return {
        "list_days": [
            {
                "day": day,
                "is_today": day == shown.today,
                "entries": by_day.get(day, []),
                "slots": shown.slots.get(day, []) if first <= day <= last else [],
            }
            for day in shown.period.days
            if by_day.get(day) or (first <= day <= last and shown.slots.get(day))
        ],
        "list_pager": {
            "first": skipped + 1,
            "last": skipped + len(drawn),
            "total": total,
            "previous": query(params, page=shown.page - 1 if shown.page > 2 else None)
            if shown.page > 1
            else "",
            "next": query(params, page=shown.page + 1) if following else "",
        },
    }


VIEW_BODIES = {"month": _month_body, "week": _week_body, "list": _list_body}
