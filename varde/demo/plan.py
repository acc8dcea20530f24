"""The demo's strategy plan (``plan_data.DEMO_PLAN``), through the strategy app's services.

The plan replaces any plan the workspace had. It keeps an adopted version from three weeks ago
and one change since, so the overview has history to show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone, translation

from varde.demo.plan_data import DEMO_PLAN
from varde.strategy import selectors as strategy_selectors
from varde.strategy import services as strategy_services
from varde.strategy.starter_plans_data import resolve

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace
    from varde.strategy.models import StrategyPlan

ADOPTED_DAYS_AGO = 21


@transaction.atomic
def demo_plan_seed(
    *,
    workspace: Workspace,
    actor: User | None = None,
    users: Mapping[str, User] | None = None,
    language: str | None = None,
) -> StrategyPlan:
    """Give the workspace the demo plan (Bryggen Sykkel), replacing any plan it had.

    ``users`` links people in the plan to Varde users by the person's key in the demo data
    ("ingrid", "jonas", "silje", "martin"; ``varde/demo/team.py``), so inbox and approvals can
    find them.
    """
    lang = language or workspace.language
    plan = strategy_services.plan_replace(
        workspace=workspace,
        data=resolve(DEMO_PLAN, lang),
        actor=actor,
        template="demo",
        language=lang,
        users=users,
    )
    with translation.override(lang):
        version = strategy_services.plan_version_save(
            workspace=workspace,
            actor=actor,
            note="Vedtatt i ledermøtet" if lang == "nb" else "Adopted at the management meeting",
        )
    # Adopted three weeks ago, so "changes since the adopted version" shows only the one change
    # made after it.
    strategy_services.plan_version_date_back_for_demo(
        version=version, actor=actor, at=timezone.now() - dt.timedelta(days=ADOPTED_DAYS_AGO)
    )
    instagram = strategy_selectors.channel_list(workspace).filter(network="instagram").first()
    if instagram is not None:
        strategy_services.plan_item_update(
            item=instagram,
            actor=actor,
            kind="channel-plan",
            fields={"posts_per_week": Decimal(4), "days": [0, 2, 4, 5]},
        )
    return plan
