"""The dashboard's "getting started" checklist: four steps, each ticked from what is stored.

Shown on a workspace's home until every step is done, then gone for good (the data says so;
nothing to dismiss). Each step is one small query.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from varde.accounts import selectors as account_selectors
from varde.channels import selectors as channel_selectors
from varde.publishing import selectors as publishing_selectors
from varde.publishing.choices import DeliveryState
from varde.strategy import selectors as strategy_selectors

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    from varde.accounts.models import Workspace

# A first post counts once it is scheduled, or went further.
SCHEDULED_OR_LATER = (
    DeliveryState.SCHEDULED,
    DeliveryState.PUBLISHING,
    DeliveryState.PUBLISHED,
    DeliveryState.UNKNOWN,
    DeliveryState.FAILED,
    DeliveryState.REMOVED,
)


@dataclass(frozen=True)
class Step:
    key: str
    label: StrPromise
    hint: StrPromise
    url: str
    done: bool


def _plan_started(workspace: Workspace) -> bool:
    plan = strategy_selectors.plan_for(workspace)
    if plan is None:
        return False
    return bool(plan.mission.strip()) or strategy_selectors.channel_list(workspace).exists()


def checklist(workspace: Workspace) -> list[Step] | None:
    """The steps, or None once all of them are done."""
    slug = workspace.slug
    steps = [
        Step(
            "plan",
            _("Write the plan, or start from the template"),
            _("The mission and the channels of the plan are enough to begin."),
            reverse("strategy:overview", kwargs={"workspace": slug}),
            _plan_started(workspace),
        ),
        Step(
            "channel",
            _("Connect a channel"),
            _("The sandbox is there to try it without a real account."),
            reverse("channels:connect_choose", kwargs={"workspace": slug}),
            channel_selectors.channels_in(workspace=workspace).exists(),
        ),
        Step(
            "post",
            _("Schedule a first post"),
            _("Write it, give it a time and approve it."),
            reverse("content:compose", kwargs={"workspace": slug}),
            publishing_selectors.deliveries_in(workspace=workspace)
            .filter(state__in=SCHEDULED_OR_LATER)
            .exists(),
        ),
        Step(
            "team",
            _("Invite the team"),
            _("Whoever writes, approves or answers."),
            reverse("workspace_settings:members", kwargs={"workspace": slug}),
            account_selectors.members_of(workspace=workspace).count() > 1
            or account_selectors.open_invitations(workspace=workspace).exists(),
        ),
    ]
    if all(step.done for step in steps):
        return None
    return steps
