"""What the audit log says about deliveries: one post on one channel, scheduled, sent, failed."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from varde.accounts import audit_sentences as audit
from varde.content.audit_kinds import POSTS
from varde.publishing import selectors


def delivery_label(label: str, target_id: str, reading: audit.Reading) -> str:
    """A delivery's stored label names ids ("post 12 → 3"); say which post on which channel."""
    found = (
        selectors.deliveries_in_workspace_id(workspace_id=reading.workspace_id)
        .select_related("post", "channel")
        .filter(pk=int(target_id))
        .first()
        if target_id.isdigit()
        else None
    )
    if found is None:
        return gettext("a post that was deleted later")
    return gettext("“%(post)s” on %(channel)s") % {
        "post": found.post.text[:60],
        "channel": found.channel,
    }


def _deliveries(raw: Any, reading: audit.Reading) -> str:
    number = len(raw) if isinstance(raw, list) else int(raw or 0)
    return ngettext("%(count)s channel", "%(count)s channels", number) % {"count": number}


def register() -> None:
    audit.register_target_label("delivery", delivery_label)
    audit.register(
        audit.EventKind(
            "delivery.scheduled",
            _("%(actor)s scheduled %(target)s for %(at)s."),
            values={"at": audit.moment},
        ),
        audit.EventKind("delivery.cancelled", _("%(actor)s cancelled %(target)s.")),
        audit.EventKind(
            "delivery.failed",
            _("%(target)s could not be published."),
            details=(audit.Detail("reason", _("Why")),),
        ),
        audit.EventKind(
            "delivery.retried",
            _("%(actor)s tried the post “%(target)s” again on %(deliveries)s."),
            values={"deliveries": _deliveries},
        ),
        audit.EventKind(
            "delivery.resolved",
            _("%(actor)s looked on the network for %(target)s, whose outcome was unknown."),
            details=(
                audit.Detail("published", _("Found on the network")),
                audit.Detail("url", _("Address")),
            ),
        ),
        audit.EventKind(
            "delivery.removed_from_network",
            _("%(actor)s removed %(target)s from the network."),
        ),
        audit.EventKind(
            "delivery.remove_failed",
            _("%(actor)s tried to remove %(target)s from the network, but it did not work."),
            details=(audit.Detail("error", _("What the network said")),),
        ),
        area=POSTS,
    )
