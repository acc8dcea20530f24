"""What the audit log says when a channel is connected, paused or disconnected."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _

from varde.accounts import audit_sentences as audit
from varde.channels.models import network_name
from varde.channels.network_apps import app_setup

# Channels were once labelled "Fjordbakst (facebook)"; older log rows keep that text.
_OLD_LABEL = re.compile(r"^(?P<name>.*) \((?P<key>[a-z0-9_-]+)\)$")


def channel_label(label: str, target_id: str = "", reading: audit.Reading | None = None) -> str:
    """An old stored label in today's form: "Fjordbakst · Facebook"."""
    found = _OLD_LABEL.match(label)
    if found is None:
        return label
    return f"{found['name']} · {network_name(found['key'])}"


def app_title(raw: Any, reading: audit.Reading) -> str:
    """The networks an app signs in to ("Facebook / Instagram"), not its key ("meta")."""
    key = str(raw or "")
    setup = app_setup(key) if key else None
    if setup is not None:
        return setup.title
    named = network_name(key)
    return named if named != key else key.capitalize()


def register() -> None:
    audit.register_target_label("connectedaccount", channel_label)
    audit.register(
        audit.EventKind(
            "channel.connected",
            _("%(actor)s connected the channel “%(target)s”."),
        ),
        audit.EventKind(
            "channel.reconnected", _("%(actor)s connected the channel “%(target)s” again.")
        ),
        audit.EventKind("channel.paused", _("%(actor)s paused the channel “%(target)s”.")),
        audit.EventKind("channel.resumed", _("%(actor)s resumed the channel “%(target)s”.")),
        audit.EventKind(
            "channel.disconnected",
            _("%(actor)s disconnected the channel “%(target)s”."),
            details=(audit.Detail("cancelled", _("Posts cancelled")),),
        ),
        audit.EventKind(
            "channel.needs_reconnect",
            _("The channel “%(target)s” must be connected again."),
            details=(audit.Detail("error", _("What the network said")),),
        ),
        audit.EventKind(
            "channel.plan_tied",
            _("%(actor)s tied the channel “%(target)s” to “%(plan_channel)s” in the plan."),
        ),
        audit.EventKind(
            "network_app.saved",
            _("%(actor)s saved this Varde's app with %(app)s (Settings → Networks)."),
            details=(audit.Detail("changed", _("Changed")),),
            values={"app": app_title},
        ),
        audit.EventKind(
            "network_app.removed",
            _("%(actor)s removed this Varde's app with %(app)s (Settings → Networks)."),
            values={"app": app_title},
        ),
        audit.EventKind(
            "channel.plan_untied",
            _("%(actor)s untied the channel “%(target)s” from the plan."),
        ),
        area=_("Channels"),
    )
