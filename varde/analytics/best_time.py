"""Best time to post, per channel, from the workspace's own history (issue 14, item 5).

Each published post is scored by its engagement (likes, shares, comments, quotes) as read on
the day after it went out — the first daily reading that covers a full day, since readings are
daily — divided by the median of the channel's posts before it (up to ``MEDIAN_WINDOW`` of
them), so a growing account does not make its recent slots look better. Scores are grouped by
weekday × a block of ``BLOCK_HOURS`` hours in the workspace's time zone. A cell with few posts
is shrunk towards the channel's overall mean (``PRIOR_POSTS`` imaginary average posts), and
the number of posts behind each cell is shown. Below ``MIN_POSTS`` scored posts nothing is
ranked, and the page says how many more are needed.

The suggestions are the best cells with at least two posts that did better than usual, plus
one untried slot next to the best one, so the schedule keeps learning instead of repeating the
first good guess. They are offered as hints; nothing here changes the plan.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone

from varde.analytics.choices import ENGAGEMENT_METRICS
from varde.analytics.models import DailyMetric
from varde.publishing import selectors as publishing_selectors
from varde.publishing.choices import DeliveryState

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from varde.channels.models import ConnectedAccount

BLOCK_HOURS = 3
BLOCKS = 24 // BLOCK_HOURS
MIN_POSTS = 12
MEDIAN_WINDOW = 20
PRIOR_POSTS = 3.0
HISTORY_DAYS = 365
TOP_SUGGESTIONS = 3


@dataclass(frozen=True)
class ScoredPost:
    published_at: dt.datetime  # in the workspace's time zone
    engagement: int
    score: float  # engagement relative to the channel's median before it


@dataclass(frozen=True)
class Cell:
    weekday: int  # 0 = Monday
    block: int  # 0 = 00–03
    posts: int
    score: float | None  # shrunk mean; None where no post went out

    @property
    def start_hour(self) -> int:
        return self.block * BLOCK_HOURS


@dataclass(frozen=True)
class Suggestion:
    weekday: int
    block: int
    untried: bool
    score: float | None = None
    posts: int = 0

    @property
    def start_hour(self) -> int:
        return self.block * BLOCK_HOURS


@dataclass
class BestTimes:
    channel: ConnectedAccount
    scored: int
    min_posts: int = MIN_POSTS
    cells: list[list[Cell]] = field(default_factory=list)  # [weekday][block]
    suggestions: list[Suggestion] = field(default_factory=list)

    @property
    def enough(self) -> bool:
        return self.scored >= self.min_posts

    @property
    def missing(self) -> int:
        return max(0, self.min_posts - self.scored)


def best_times(*, channel: ConnectedAccount, zone: ZoneInfo, today: dt.date) -> BestTimes:
    posts = scored_posts(channel=channel, zone=zone, since=today - dt.timedelta(days=HISTORY_DAYS))
    result = BestTimes(channel=channel, scored=len(posts))
    result.cells = cells_of(posts)
    if result.enough:
        result.suggestions = suggestions_from(result.cells)
    return result


def scored_posts(*, channel: ConnectedAccount, zone: ZoneInfo, since: dt.date) -> list[ScoredPost]:
    """The channel's published posts since ``since`` that have a next-day reading, in order."""
    published = [
        (pk, at)
        for pk, at in publishing_selectors.deliveries_on_channel(channel=channel)
        .filter(state=DeliveryState.PUBLISHED, published_at__date__gte=since)
        .order_by("published_at")
        .values_list("pk", "published_at")
        if at is not None
    ]
    engagement = _next_day_engagement(channel, zone, published)
    scored: list[ScoredPost] = []
    earlier: list[int] = []
    for delivery_id, published_at in published:
        if delivery_id not in engagement:
            continue
        value = engagement[delivery_id]
        median = statistics.median(earlier[-MEDIAN_WINDOW:]) if earlier else value
        scored.append(
            ScoredPost(
                published_at=published_at.astimezone(zone),
                engagement=value,
                score=(value + 1) / (median + 1),  # +1: a quiet account's zeros stay comparable
            )
        )
        earlier.append(value)
    return scored


def _next_day_engagement(
    channel: ConnectedAccount, zone: ZoneInfo, published: list[tuple[int, dt.datetime]]
) -> dict[int, int]:
    """Each post's engagement as read on the day after the day it went out (local days)."""
    wanted = {pk: at.astimezone(zone).date() + dt.timedelta(days=1) for pk, at in published}
    totals: dict[int, int] = defaultdict(int)
    seen: set[int] = set()
    rows = DailyMetric.objects.filter(
        channel=channel, delivery_id__in=list(wanted), metric__in=ENGAGEMENT_METRICS
    ).values_list("delivery_id", "day", "value")
    for delivery_id, day, value in rows:
        if day == wanted[delivery_id] and value is not None:
            totals[delivery_id] += value
            seen.add(delivery_id)
    return {pk: totals[pk] for pk in seen}


def cells_of(posts: list[ScoredPost]) -> list[list[Cell]]:
    """Weekday × block, each cell's mean score shrunk towards the overall mean."""
    grouped: dict[tuple[int, int], list[float]] = defaultdict(list)
    for post in posts:
        local = post.published_at
        grouped[(local.weekday(), local.hour // BLOCK_HOURS)].append(post.score)
    overall = statistics.fmean(p.score for p in posts) if posts else 1.0
    return [
        [
            _cell(weekday, block, grouped.get((weekday, block), []), overall)
            for block in range(BLOCKS)
        ]
        for weekday in range(7)
    ]


def _cell(weekday: int, block: int, scores: list[float], overall: float) -> Cell:
    if not scores:
        return Cell(weekday=weekday, block=block, posts=0, score=None)
    shrunk = (sum(scores) + PRIOR_POSTS * overall) / (len(scores) + PRIOR_POSTS)
    return Cell(weekday=weekday, block=block, posts=len(scores), score=shrunk)


def suggestions_from(cells: list[list[Cell]]) -> list[Suggestion]:
    # Only slots that did better than usual: a below-usual slot is no suggestion.
    tried = [
        cell
        for row in cells
        for cell in row
        if cell.posts >= 2 and cell.score is not None and cell.score > 1.0
    ]
    best = sorted(tried, key=lambda c: (-(c.score or 0.0), c.weekday, c.block))[:TOP_SUGGESTIONS]
    chosen = [
        Suggestion(weekday=c.weekday, block=c.block, untried=False, score=c.score, posts=c.posts)
        for c in best
    ]
    if best:
        untried = _untried_next_to(best[0], cells)
        if untried is not None:
            chosen.append(Suggestion(weekday=untried.weekday, block=untried.block, untried=True))
    return chosen


def _untried_next_to(best: Cell, cells: list[list[Cell]]) -> Cell | None:
    """The nearest slot without posts: the same day an hour block either side first, then the
    same block on the days either side."""
    near = [(0, -1), (0, 1), (-1, 0), (1, 0), (0, -2), (0, 2)]
    for day_step, block_step in near:
        weekday, block = (best.weekday + day_step) % 7, best.block + block_step
        if 0 <= block < BLOCKS and cells[weekday][block].posts == 0:
            return cells[weekday][block]
    return None


def block_label(block: int) -> str:
    start = block * BLOCK_HOURS
    return f"{start:02d}:00–{(start + BLOCK_HOURS) % 24:02d}:00"


def weekday_name(weekday: int) -> str:
    from django.utils.dates import WEEKDAYS

    return str(WEEKDAYS[weekday])


def zone_of(tz_name: str) -> ZoneInfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(tz_name or timezone.get_current_timezone_name())
