"""Reading the pipeline, always from a workspace; and the figures analytics counts.

Analytics (the layer above) reads ``conversions_by_campaign``, ``conversions_by_period`` and
``lead_goal_progress``: a *lead* is counted when a person first reaches the lead stage
(``lead_at``), a *customer* when they first become one (``customer_at``); a customer made in one
step counts as both. Merged duplicates are never counted.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber, TruncDay, TruncMonth, TruncWeek

from varde.leads.choices import BOARD_ORDER, Stage
from varde.leads.models import CrmTarget, Handoff, HandoffAttempt, Lead, LeadEvent, LeadSource
from varde.strategy import selectors as strategy_selectors

if TYPE_CHECKING:
    from varde.accounts.models import Workspace

# Enough to work a column by hand; the page says how many more the CSV export holds. Each card
# costs about 1 KB and a few milliseconds of template work (bench/inbox.py).
BOARD_COLUMN_SIZE = 40
# strategy.models.Metric values of the goals this app measures.
LEAD_METRICS = {"leads": "lead_at", "customers": "customer_at"}


def leads_in(*, workspace: Workspace) -> QuerySet[Lead]:
    """The workspace's leads, merged duplicates left out."""
    return Lead.objects.filter(workspace=workspace, merged_into__isnull=True)


def lead_get(*, workspace: Workspace, lead_id: int) -> Lead | None:
    """Any lead of the workspace, a merged one too (its page points at the one it joined)."""
    return (
        Lead.objects.filter(workspace=workspace, pk=lead_id)
        .select_related("owner", "campaign", "created_by", "merged_into", "workspace")
        .first()
    )


@dataclass(frozen=True)
class Column:
    stage: Stage
    leads: list[Lead]
    total: int
    value: Decimal


def board(*, workspace: Workspace, owner_id: int | None = None) -> list[Column]:
    """One column per stage, newest change first, at most ``BOARD_COLUMN_SIZE`` cards each.
    Two queries whatever the number of leads: the totals, then the cards (a window rank)."""
    leads = leads_in(workspace=workspace)
    if owner_id is not None:
        leads = leads.filter(owner_id=owner_id)
    totals = {
        row["stage"]: row
        for row in leads.values("stage").annotate(n=Count("id"), value=Sum("value")).order_by()
    }
    ranked = leads.annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("stage")],
            order_by=[F("updated_at").desc(), F("id").desc()],
        )
    )
    by_stage: dict[str, list[Lead]] = {stage.value: [] for stage in BOARD_ORDER}
    cards = ranked.filter(rank__lte=BOARD_COLUMN_SIZE).select_related("owner", "campaign")
    for lead in cards.order_by("-updated_at", "-id"):
        by_stage[lead.stage].append(lead)
    return [
        Column(
            stage=stage,
            leads=by_stage[stage.value],
            total=totals.get(stage.value, {}).get("n", 0),
            value=totals.get(stage.value, {}).get("value") or Decimal(0),
        )
        for stage in BOARD_ORDER
    ]


def timeline(*, lead: Lead) -> QuerySet[LeadEvent]:
    return LeadEvent.objects.filter(lead=lead).select_related("actor").order_by("-at", "-id")


def sources_of(*, lead: Lead) -> QuerySet[LeadSource]:
    return LeadSource.objects.filter(lead=lead).select_related("post").order_by("at", "id")


def linked_leads(*, workspace: Workspace, ref_kind: str, ref_ids: list[int]) -> dict[int, int]:
    """For each of these inbox items or mentions, the lead it belongs to (by ref id)."""
    rows = LeadSource.objects.filter(
        lead__workspace=workspace, ref_kind=ref_kind, ref_id__in=ref_ids
    ).values_list("ref_id", "lead__merged_into_id", "lead_id")
    return {ref_id: merged or lead_id for ref_id, merged, lead_id in rows if ref_id is not None}


@dataclass(frozen=True)
class DuplicateGroup:
    network: str
    handle_key: str
    leads: list[Lead]


def duplicate_groups(*, workspace: Workspace) -> list[DuplicateGroup]:
    """Leads that share a handle on one network: candidates for a merge, oldest first."""
    keys = (
        leads_in(workspace=workspace)
        .values("network", "handle_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("network", "handle_key")[:200]
    )
    wanted = Q(pk__in=[])
    for key in keys:
        wanted |= Q(network=key["network"], handle_key=key["handle_key"])
    groups: dict[tuple[str, str], list[Lead]] = {}
    for lead in (
        leads_in(workspace=workspace).filter(wanted).select_related("owner").order_by("created_at")
    ):
        groups.setdefault((lead.network, lead.handle_key), []).append(lead)
    return [DuplicateGroup(net, key, leads) for (net, key), leads in groups.items()]


def export_rows(*, workspace: Workspace) -> QuerySet[Lead]:
    """Every lead for the CSV, with what the columns need (three queries whatever the count)."""
    return (
        leads_in(workspace=workspace)
        .select_related("owner", "campaign")
        .prefetch_related(Prefetch("sources", queryset=LeadSource.objects.order_by("at", "id")))
        .order_by("created_at", "id")
    )


def crm_target(*, workspace: Workspace) -> CrmTarget | None:
    return CrmTarget.objects.filter(workspace=workspace).first()


def handoffs_of(*, lead: Lead) -> QuerySet[Handoff]:
    return Handoff.objects.filter(lead=lead).order_by("-created_at", "-id")


def handoff_attempts(*, workspace: Workspace, limit: int = 50) -> QuerySet[HandoffAttempt]:
    return (
        HandoffAttempt.objects.filter(handoff__workspace=workspace)
        .select_related("handoff__lead")
        .order_by("-at", "-id")[:limit]
    )


# --- For analytics -------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignConversions:
    campaign_id: int | None  # None: leads not tied to a campaign
    campaign_name: str
    prospects: int  # created in the period
    leads: int  # reached the lead stage in the period
    customers: int  # became customers in the period
    customer_value: Decimal  # value of those customers (NOK)


def _window(since: dt.date, until: dt.date, zone: str) -> tuple[dt.datetime, dt.datetime]:
    tz = zoneinfo.ZoneInfo(zone)
    start = dt.datetime.combine(since, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def conversions_by_campaign(
    *, workspace: Workspace, since: dt.date, until: dt.date
) -> list[CampaignConversions]:
    """Prospects, leads and customers per campaign between two days (inclusive, workspace time)."""
    start, end = _window(since, until, workspace.timezone)
    rows = (
        leads_in(workspace=workspace)
        .values("campaign_id", "campaign__name")
        .annotate(
            prospects=Count("id", filter=Q(created_at__gte=start, created_at__lt=end)),
            leads=Count("id", filter=Q(lead_at__gte=start, lead_at__lt=end)),
            customers=Count("id", filter=Q(customer_at__gte=start, customer_at__lt=end)),
            customer_value=Sum("value", filter=Q(customer_at__gte=start, customer_at__lt=end)),
        )
        .order_by("campaign__name", "campaign_id")
    )
    return [
        CampaignConversions(
            campaign_id=row["campaign_id"],
            campaign_name=row["campaign__name"] or "",
            prospects=row["prospects"],
            leads=row["leads"],
            customers=row["customers"],
            customer_value=row["customer_value"] or Decimal(0),
        )
        for row in rows
        if row["prospects"] or row["leads"] or row["customers"]
    ]


@dataclass(frozen=True)
class PeriodConversions:
    start: dt.date
    leads: int
    customers: int


_TRUNC = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}


def conversions_by_period(
    *,
    workspace: Workspace,
    since: dt.date,
    until: dt.date,
    period: str = "month",
    campaign_id: int | None = None,
) -> list[PeriodConversions]:
    """Leads and customers per day, week (from Monday) or month, in the workspace's time zone;
    periods with neither are left out."""
    trunc = _TRUNC[period]
    tz = zoneinfo.ZoneInfo(workspace.timezone)
    start, end = _window(since, until, workspace.timezone)
    leads = leads_in(workspace=workspace)
    if campaign_id is not None:
        leads = leads.filter(campaign_id=campaign_id)
    counted: dict[dt.date, list[int]] = {}
    for index, field in enumerate(("lead_at", "customer_at")):
        rows = (
            leads.filter(**{f"{field}__gte": start, f"{field}__lt": end})
            .annotate(period=trunc(field, tzinfo=tz))
            .values("period")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in rows:
            moment = row["period"]
            day = moment.date() if isinstance(moment, dt.datetime) else moment
            counted.setdefault(day, [0, 0])[index] += row["n"]
    return [PeriodConversions(day, *counted[day]) for day in sorted(counted)]


@dataclass(frozen=True)
class GoalProgress:
    goal_id: int
    title: str
    metric: str  # "leads" or "customers"
    network: str | None
    since: dt.date
    until: dt.date
    actual: int
    target: Decimal | None
    share: float | None  # actual / target, None without a target


def lead_goal_progress(*, workspace: Workspace, today: dt.date) -> list[GoalProgress]:
    """The plan's active goals measured in leads or new customers, against the pipeline.

    A goal has a deadline but no start, so it is counted from 1 January of the deadline's year
    (of this year without a deadline) until the deadline or today, whichever comes first; a
    goal for one channel counts only leads from that network."""
    found = []
    for goal in strategy_selectors.goals_for(workspace):
        field = LEAD_METRICS.get(goal.metric)
        if field is None:
            continue
        since = dt.date((goal.deadline or today).year, 1, 1)
        until = min(goal.deadline, today) if goal.deadline else today
        start, end = _window(since, until, workspace.timezone)
        leads = leads_in(workspace=workspace).filter(
            **{f"{field}__gte": start, f"{field}__lt": end}
        )
        if goal.network:
            leads = leads.filter(network=goal.network)
        actual = leads.count()
        target = goal.target
        found.append(
            GoalProgress(
                goal_id=goal.id,
                title=goal.title,
                metric=goal.metric,
                network=goal.network,
                since=since,
                until=until,
                actual=actual,
                target=target,
                share=float(actual / target) if target else None,
            )
        )
    return found
