"""What the audit log says about confirmed hashtags and the publishing rules' settings."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from varde.accounts import audit_sentences as audit
from varde.policy.models import GuardSettings


def register() -> None:
    audit.register(
        audit.EventKind(
            "policy.hashtag_confirmed",
            _("%(actor)s confirmed that #%(tag)s may be used."),
            details=(audit.Detail("note", _("What it is about")),),
        ),
        audit.EventKind(
            "policy.hashtag_forgotten",
            _("%(actor)s withdrew the confirmation of #%(tag)s; it must be checked again."),
        ),
        audit.EventKind(
            "policy.settings_changed",
            _("%(actor)s changed the publishing rules."),
            changes=audit.model_change_writer(GuardSettings),
            detail_is_changes=True,
        ),
        area=_("Publishing rules"),
    )
