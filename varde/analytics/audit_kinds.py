"""What the audit log says about reports sent by e-mail (they may leave the workspace) and
control reviews (the plan's own changes are strategy's)."""

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
        audit.EventKind(
            "analytics.review.started",
            _("%(actor)s started a control review of the plan."),
            details=(audit.Detail("proposals", _("Proposals")),),
        ),
        audit.EventKind(
            "analytics.review.finished",
            _(
                "%(actor)s finished a control review: %(accepted)s proposals accepted, "
                "%(rejected)s rejected, the plan adopted as version %(version)s."
            ),
        ),
        area=_("Analytics"),
    )
