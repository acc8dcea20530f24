"""What the audit log says about newsletter lists and subscribers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from varde.accounts import audit_sentences as audit
from varde.newsletter.choices import SubscriberStatus


def register() -> None:
    audit.register(
        audit.EventKind(
            "newsletter.list_created", _("%(actor)s created the newsletter list “%(target)s”.")
        ),
        audit.EventKind(
            "newsletter.subscriber_removed",
            _("%(actor)s erased a subscriber from the list “%(target)s” at their request."),
            details=(audit.Detail("status", _("They were"), audit.choice(SubscriberStatus)),),
        ),
        audit.EventKind(
            "newsletter.imported",
            _("%(actor)s imported %(added)s subscribers into the list “%(target)s”."),
            details=(
                audit.Detail(
                    "consent_confirmed_by_importer",
                    _("The importer confirmed each person's consent"),
                ),
            ),
        ),
        area=_("Newsletter"),
    )
