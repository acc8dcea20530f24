"""What the audit log says about the notification path's webhooks."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from varde.accounts import audit_sentences as audit
from varde.notifications import kinds


def _kind(raw: Any, reading: audit.Reading) -> str:
    try:
        return str(kinds.get(str(raw)).label)
    except kinds.UnknownKindError:
        return audit.plain(raw, reading)


def register() -> None:
    audit.register(
        audit.EventKind(
            "notifications.webhook_set",
            _("%(actor)s set the webhook for “%(kind)s” to %(url)s."),
            values={"kind": _kind},
        ),
        audit.EventKind(
            "notifications.webhook_secret_rotated",
            _("%(actor)s made a new secret for the webhook for “%(kind)s”."),
            values={"kind": _kind},
        ),
        audit.EventKind(
            "notifications.webhook_removed",
            _("%(actor)s removed the webhook for “%(kind)s”."),
            values={"kind": _kind},
        ),
        audit.EventKind(
            "notifications.webhook_tested",
            _("%(actor)s sent a test message to the webhook for “%(kind)s”."),
            values={"kind": _kind},
        ),
        area=_("Notifications"),
    )
