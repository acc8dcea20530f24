"""The leads as CSV, for the web export and ``varde leads export``.

Handles, names, notes and quoted texts come from strangers; every cell goes through
``lib.tables.safe_cell`` so a handle like ``=HYPERLINK(…)`` stays text in a spreadsheet.
Times are in the workspace's time zone; the value is in NOK with a dot for decimals.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from varde.lib.tables import write_csv

if TYPE_CHECKING:
    import datetime as dt

    from varde.accounts.models import Workspace
    from varde.leads.models import Lead


def _local(moment: dt.datetime | None, zone: zoneinfo.ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""


def leads_csv(leads: Iterable[Lead], *, workspace: Workspace) -> str:
    zone = zoneinfo.ZoneInfo(workspace.timezone)
    header: list[object] = [
        _("id"),
        _("handle"),
        _("name"),
        _("network"),
        _("stage"),
        _("why it was lost"),
        _("owner"),
        _("value (NOK)"),
        _("next step"),
        _("next step on"),
        _("campaign"),
        _("campaign id"),
        _("post id"),
        _("engaged with"),
        _("created"),
        _("became a lead"),
        _("became a customer"),
    ]
    rows: list[list[object]] = [header]
    for lead in leads:
        rows.append(
            [
                lead.pk,
                lead.handle,
                lead.name,
                lead.network,
                lead.get_stage_display(),
                lead.lost_reason,
                (lead.owner.full_name or lead.owner.email) if lead.owner else "",
                lead.value if lead.value is not None else "",
                lead.next_step,
                lead.next_step_on.isoformat() if lead.next_step_on else "",
                lead.campaign.name if lead.campaign else "",
                lead.campaign_id or "",
                lead.post_id or "",
                " ".join(source.url for source in lead.sources.all() if source.url),
                _local(lead.created_at, zone),
                _local(lead.lead_at, zone),
                _local(lead.customer_at, zone),
            ]
        )
    return write_csv(rows)
