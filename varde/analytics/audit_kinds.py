"""What the audit log says about reports sent by e-mail (they may leave the workspace)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from varde.accounts import audit_sentences as audit
from varde.analytics.choices import ReportCadence


def _addresses(raw: Any, reading: audit.Reading) -> str:
    if not raw:
        return str(_("no other addresses"))
    return ", ".join(str(address) for address in raw)


def register() -> None:
    audit.register(
        audit.EventKind(
            "analytics.report_scheduled",
            _(
                "%(actor)s scheduled a %(cadence)s report for %(members)s members and "
                "%(addresses)s."
            ),
            values={"cadence": audit.choice(ReportCadence), "addresses": _addresses},
        ),
        audit.EventKind(
            "analytics.report_unscheduled",
            _("%(actor)s stopped a %(cadence)s report."),
            values={"cadence": audit.choice(ReportCadence)},
        ),
        audit.EventKind(
            "analytics.report_sent",
            _("%(actor)s sent the report for %(period)s to %(members)s members and %(addresses)s."),
            values={"addresses": _addresses},
        ),
        area=_("Analytics"),
    )
