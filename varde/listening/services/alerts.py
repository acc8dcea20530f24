"""Alerts: volume spikes and sentiment dips of each query against its own rolling baseline.

Every write of ``Alert`` happens here. The statistics are robust ones, so one busy day in the
baseline does not hide the next: the baseline is the **median** of the query's past buckets and
the spread is the **MAD** (scaled by 1.4826 to read like a standard deviation), with a floor of
√median (counts are Poisson-like) and 1, so a quiet query is not alarmed by three posts.

- **Spike**: mentions in the last hour against the hourly counts of the 7 days before
  (168 buckets, empty hours counted as 0). Alert when ``observed ≥ median + k·spread`` and at
  least the preset's minimum count.
- **Sentiment dip**: the share of negative mentions among judged ones in the last 24 hours
  against the daily shares of the 14 days before (from the rollups). Alert when the share passes
  ``median + k·spread`` (spread floored at 0.05) and rises by at least the preset's minimum, with
  enough judged mentions. Without a sentiment classifier nothing is judged and no dip is found.

**Sensitivity presets** (per workspace) set *k*, the minimum count and the minimum rise; a
**cooldown** of six hours per query and kind keeps one event from alerting every run. Each
alert stores its "why": the top words, authors and posts in the window.

Delivery: each new alert is a row shown on the listening alerts page, and is handed to the one
notification path (``alert_delivery.py``: the bell and e-mail, as each person chose for the
kind ``listening.alert``, and the workspace's signed webhook); a negative one links the
strategy's crisis playbook and names who it says to involve.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncHour
from django.utils import timezone

from varde.listening import hooks
from varde.listening.choices import AlertKind, AlertSensitivity, SentimentLabel
from varde.listening.models import (
    Alert,
    ListeningQuery,
    ListeningSettings,
    Mention,
    MentionMatch,
    MentionRollup,
)
from varde.listening.query.normalise import TokenKind, tokenise
from varde.listening.services.alert_delivery import alerts_deliver
from varde.listening.words import STOPWORDS

if TYPE_CHECKING:
    from varde.accounts.models import Workspace

SPIKE_WINDOW = dt.timedelta(hours=1)
SPIKE_BASELINE_HOURS = 7 * 24
DIP_WINDOW = dt.timedelta(hours=24)
DIP_BASELINE_DAYS = 14
COOLDOWN = dt.timedelta(hours=6)
WHY_MENTIONS = 500  # read at most this many of the window's mentions for the "why"
MAD_SCALE = 1.4826


@dataclass(frozen=True)
class Preset:
    k: float  # how many spreads above the median
    min_count: int  # a spike needs at least this many mentions; a dip this many judged ones
    min_rise: float  # a dip's negative share must rise at least this much over the median


PRESETS: dict[str, Preset] = {
    AlertSensitivity.LOW: Preset(5.0, 10, 0.25),
    AlertSensitivity.MEDIUM: Preset(3.5, 5, 0.15),
    AlertSensitivity.HIGH: Preset(2.5, 3, 0.10),
}


def robust_baseline(history: Sequence[float], *, floor: float) -> tuple[float, float]:
    """(median, spread): the spread is the scaled MAD, at least ``floor``."""
    if not history:
        return 0.0, floor
    median = statistics.median(history)
    mad = statistics.median(abs(x - median) for x in history)
    return median, max(MAD_SCALE * mad, floor)


def spike_threshold(history: Sequence[float], preset: Preset) -> tuple[float, float]:
    """(baseline, threshold) for an hour's count."""
    median, _spread = robust_baseline(history, floor=0.0)
    _m, spread = robust_baseline(history, floor=max(1.0, median**0.5))
    return median, max(median + preset.k * spread, float(preset.min_count))


def dip_threshold(history: Sequence[float], preset: Preset) -> tuple[float, float]:
    """(baseline, threshold) for a window's share of negative mentions."""
    median, spread = robust_baseline(history, floor=0.05)
    return median, min(1.0, max(median + preset.k * spread, median + preset.min_rise))


def sensitivity_of(workspace_id: int) -> Preset:
    found = ListeningSettings.objects.filter(workspace_id=workspace_id).first()
    return PRESETS.get(found.alert_sensitivity if found else "", PRESETS["medium"])


def _hourly(
    query_ids: list[int], since: dt.datetime, until: dt.datetime
) -> dict[int, Counter[dt.datetime]]:
    counts: dict[int, Counter[dt.datetime]] = {}
    rows = (
        MentionMatch.objects.filter(
            query_id__in=query_ids, published_at__gte=since, published_at__lt=until
        )
        .annotate(hour=TruncHour("published_at", tzinfo=dt.UTC))
        .values("query_id", "hour")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts.setdefault(row["query_id"], Counter())[row["hour"]] = row["n"]
    return counts


def _why(
    query: ListeningQuery, since: dt.datetime, until: dt.datetime, kind: str
) -> dict[str, Any]:
    """The window's top words (not the query's own), authors and posts."""
    mentions = Mention.objects.filter(
        matches__query=query, published_at__gte=since, published_at__lt=until
    )
    if kind == AlertKind.NEGATIVE:
        mentions = mentions.filter(sentiment=SentimentLabel.NEGATIVE)
    rows = list(
        mentions.order_by("-published_at").values(
            "id", "text", "author_handle", "author_name", "sentiment"
        )[:WHY_MENTIONS]
    )
    judged = [row["sentiment"] for row in rows if row["sentiment"]]
    own = {token.value for token in tokenise(query.text)}
    words: Counter[str] = Counter()
    authors: Counter[str] = Counter()
    for row in rows:
        seen = {
            ("#" if token.kind is TokenKind.HASHTAG else "") + token.value
            for token in tokenise(row["text"])
            if token.kind is not TokenKind.HANDLE
            and len(token.value) > 2
            and token.value not in STOPWORDS
            and token.value not in own
            and not token.value.isdigit()
        }
        words.update(seen)  # counted once per post: what many posts say
        author = row["author_handle"] or row["author_name"]
        if author:
            authors[author] += 1
    return {
        "terms": [[word, n] for word, n in words.most_common(8) if n > 1],
        "authors": [[author, n] for author, n in authors.most_common(5)],
        "mentions": [row["id"] for row in rows[:5]],
        # Among the judged mentions read: a spike this negative links the crisis playbook.
        "negative_share": round(judged.count(SentimentLabel.NEGATIVE) / len(judged), 3)
        if judged
        else None,
    }


def _cooling(query_ids: list[int], now: dt.datetime) -> set[tuple[int, str]]:
    return set(
        Alert.objects.filter(query_id__in=query_ids, created_at__gte=now - COOLDOWN).values_list(
            "query_id", "kind"
        )
    )


@transaction.atomic
def alerts_detect(*, workspace: Workspace, now: dt.datetime | None = None) -> list[Alert]:
    """Judge every active query of the workspace and store the alerts found."""
    now = now or timezone.now()
    queries = {q.pk: q for q in ListeningQuery.objects.filter(workspace=workspace, active=True)}
    if not queries:
        return []
    preset = sensitivity_of(workspace.pk)
    ids = list(queries)
    cooling = _cooling(ids, now)
    found: list[Alert] = []

    # Spikes: the last hour against the hourly counts of the week before.
    window_start = now - SPIKE_WINDOW
    base_start = window_start - dt.timedelta(hours=SPIKE_BASELINE_HOURS)
    recent = dict(
        MentionMatch.objects.filter(query_id__in=ids, published_at__gte=window_start)
        .filter(published_at__lt=now)
        .values("query_id")
        .annotate(n=Count("id"))
        .values_list("query_id", "n")
    )
    hourly = _hourly([i for i in ids if recent.get(i)], base_start, window_start)
    first_hour = base_start.replace(minute=0, second=0, microsecond=0)
    for query_id, observed in recent.items():
        buckets: Counter[dt.datetime] = hourly.get(query_id, Counter())
        history = [
            float(buckets.get(first_hour + dt.timedelta(hours=h), 0))
            for h in range(1, SPIKE_BASELINE_HOURS + 1)
        ]
        baseline, threshold = spike_threshold(history, preset)
        if observed >= threshold and (query_id, AlertKind.SPIKE) not in cooling:
            found.append(
                _alert(
                    queries[query_id],
                    AlertKind.SPIKE,
                    window_start,
                    now,
                    observed,
                    baseline,
                    threshold,
                )
            )

    # Sentiment dips: the last 24 hours' negative share against the 14 days before.
    day_start = now - DIP_WINDOW
    judged = {
        row["query_id"]: row
        for row in MentionMatch.objects.filter(
            query_id__in=ids, published_at__gte=day_start, published_at__lt=now
        )
        .exclude(mention__sentiment__isnull=True)
        .values("query_id")
        .annotate(
            n=Count("id"),
            negative=Count("id", filter=Q(mention__sentiment=SentimentLabel.NEGATIVE)),
        )
    }
    candidates = [q for q, row in judged.items() if row["n"] >= preset.min_count]
    if candidates:
        zone_today = timezone.localdate(now)
        shares = _daily_negative_shares(candidates, zone_today, preset)
        for query_id in candidates:
            row = judged[query_id]
            observed_share = row["negative"] / row["n"]
            baseline, threshold = dip_threshold(shares.get(query_id, []), preset)
            if observed_share >= threshold and (query_id, AlertKind.NEGATIVE) not in cooling:
                found.append(
                    _alert(
                        queries[query_id],
                        AlertKind.NEGATIVE,
                        day_start,
                        now,
                        observed_share,
                        baseline,
                        threshold,
                    )
                )
    if found:
        _after_found(workspace, found)
    return found


def _after_found(workspace: Workspace, found: list[Alert]) -> None:
    """Tell the people, and the apps above (the inbox escalates its negative conversations
    on a sentiment dip, ``hooks.negative_alert_raised``)."""
    alerts_deliver(workspace=workspace, found=found)
    for alert in found:
        if alert.kind == AlertKind.NEGATIVE:
            hooks.negative_alert_raised.call(workspace, alert.pk)


def _daily_negative_shares(
    query_ids: list[int], today: dt.date, preset: Preset
) -> dict[int, list[float]]:
    since = today - dt.timedelta(days=DIP_BASELINE_DAYS)
    per_day: dict[tuple[int, dt.date], dict[str, int]] = {}
    for query_id, day, sentiment, count in MentionRollup.objects.filter(
        query_id__in=query_ids, day__gte=since, day__lt=today
    ).values_list("query_id", "day", "sentiment", "count"):
        per_day.setdefault((query_id, day), {})[sentiment] = count
    shares: dict[int, list[float]] = {}
    for (query_id, _day), counts in per_day.items():
        judged = sum(n for label, n in counts.items() if label)
        if judged >= preset.min_count:
            shares.setdefault(query_id, []).append(counts.get(SentimentLabel.NEGATIVE, 0) / judged)
    return shares


def _alert(  # noqa: PLR0917 - one row's columns, in their order
    query: ListeningQuery,
    kind: str,
    start: dt.datetime,
    end: dt.datetime,
    observed: float,
    baseline: float,
    threshold: float,
) -> Alert:
    return Alert.objects.create(
        workspace_id=query.workspace_id,
        query=query,
        kind=kind,
        window_start=start,
        window_end=end,
        observed=observed,
        baseline=baseline,
        threshold=threshold,
        why=_why(query, start, end, kind),
        created_at=end,
    )


def alerts_detect_all(*, now: dt.datetime | None = None) -> int:
    """Judge every workspace that has an active query; returns how many alerts were made."""
    workspaces = {
        query.workspace_id: query.workspace
        for query in ListeningQuery.objects.filter(active=True).select_related("workspace")
    }
    return sum(len(alerts_detect(workspace=w, now=now)) for w in workspaces.values())
