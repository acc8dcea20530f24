"""Where a goal is heading: a damped-trend forecast to its deadline, or, with less than four
weeks of data, a plain line at the pace kept so far (and words that say it is early).

The forecast is Holt's linear trend with a damped trend (statsmodels' ``ExponentialSmoothing``,
``damped_trend=True``): growth is expected to slow rather than run on for ever, the usual
choice for follower counts. The chance of reaching the target is the share of 500 simulated
futures of the fitted model that reach it by the deadline.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass, field

MIN_DAYS_FOR_FORECAST = 28
SIMULATIONS = 500
ON_TRACK_CHANCE = 0.7
AT_RISK_CHANCE = 0.35


@dataclass(frozen=True)
class Outlook:
    method: str  # "forecast", "pace", "none"
    status: str  # "on_track", "at_risk", "off_track", "no_data", "reached", "no_target"
    at_deadline: float | None = None
    chance: float | None = None
    pace_needed_per_week: float | None = None
    pace_kept_per_week: float | None = None
    points: list[tuple[dt.date, float]] = field(default_factory=list)


def _filled(series: list[tuple[dt.date, float]]) -> list[tuple[dt.date, float]]:
    """One value a day, the last one carried over days without a reading."""
    by_day = dict(series)
    first, last = series[0][0], series[-1][0]
    out: list[tuple[dt.date, float]] = []
    value = series[0][1]
    day = first
    while day <= last:
        value = by_day.get(day, value)
        out.append((day, value))
        day += dt.timedelta(days=1)
    return out


def _better(value: float, target: float, higher_is_better: bool) -> bool:
    return value >= target if higher_is_better else value <= target


def outlook(
    *,
    series: list[tuple[dt.date, float]],
    target: float | None,
    deadline: dt.date | None,
    today: dt.date,
    higher_is_better: bool = True,
) -> Outlook:
    if not series:
        return Outlook(method="none", status="no_data")
    series = _filled(sorted(series))
    first_day, last_day = series[0][0], series[-1][0]
    last = series[-1][1]
    span = (last_day - first_day).days
    window = series[-MIN_DAYS_FOR_FORECAST:]
    kept_days = (window[-1][0] - window[0][0]).days
    kept = (window[-1][1] - window[0][1]) / kept_days * 7 if kept_days else 0.0
    if target is None or deadline is None:
        return Outlook(method="none", status="no_target", pace_kept_per_week=kept)
    days_left = max((deadline - last_day).days, 0)
    needed = (target - last) / days_left * 7 if days_left else None
    if _better(last, target, higher_is_better):
        return Outlook(
            method="none",
            status="reached",
            at_deadline=last,
            pace_needed_per_week=needed,
            pace_kept_per_week=kept,
        )
    if span < MIN_DAYS_FOR_FORECAST or days_left == 0:
        return _pace(
            series,
            target=target,
            deadline=deadline,
            kept=kept,
            needed=needed,
            higher_is_better=higher_is_better,
        )
    return _damped(
        series,
        target=target,
        deadline=deadline,
        kept=kept,
        needed=needed,
        higher_is_better=higher_is_better,
    )


def _pace(
    series: list[tuple[dt.date, float]],
    *,
    target: float,
    deadline: dt.date,
    kept: float,
    needed: float | None,
    higher_is_better: bool,
) -> Outlook:
    last_day, last = series[-1]
    days_left = max((deadline - last_day).days, 0)
    at_deadline = last + kept / 7 * days_left
    if needed is None or _better(at_deadline, target, higher_is_better):
        status = "on_track" if _better(at_deadline, target, higher_is_better) else "off_track"
    else:
        ratio = kept / needed if needed else 0.0
        status = "at_risk" if ratio >= 0.5 else "off_track"
    return Outlook(
        method="pace",
        status=status,
        at_deadline=at_deadline,
        pace_needed_per_week=needed,
        pace_kept_per_week=kept,
        points=[(last_day, last), (deadline, at_deadline)],
    )


def _damped(
    series: list[tuple[dt.date, float]],
    *,
    target: float,
    deadline: dt.date,
    kept: float,
    needed: float | None,
    higher_is_better: bool,
) -> Outlook:
    import numpy as np
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    values = np.array([value for _day, value in series], dtype=float)
    last_day = series[-1][0]
    horizon = (deadline - last_day).days
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter on short, flat series
        fitted = ExponentialSmoothing(
            values, trend="add", damped_trend=True, initialization_method="estimated"
        ).fit()
        path = fitted.forecast(horizon)
        futures = fitted.simulate(
            horizon, repetitions=SIMULATIONS, error="add", random_state=np.random.default_rng(7)
        )
    ends = np.asarray(futures)[-1]
    reached = ends >= target if higher_is_better else ends <= target
    chance = float(np.mean(reached))
    if chance >= ON_TRACK_CHANCE:
        status = "on_track"
    elif chance >= AT_RISK_CHANCE:
        status = "at_risk"
    else:
        status = "off_track"
    step = max(horizon // 60, 1)  # a point every few days is enough to draw it
    points = [(last_day, float(values[-1]))] + [
        (last_day + dt.timedelta(days=i + 1), float(path[i]))
        for i in range(horizon)
        if (i + 1) % step == 0 or i == horizon - 1
    ]
    return Outlook(
        method="forecast",
        status=status,
        at_deadline=float(path[-1]),
        chance=chance,
        pace_needed_per_week=needed,
        pace_kept_per_week=kept,
        points=points,
    )
