"""What the audit log says about control reviews (the plan's own changes are strategy's)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from varde.accounts import audit_sentences as audit


def register() -> None:
    audit.register(
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
