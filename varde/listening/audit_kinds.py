"""What the audit log says about listening queries, sources and settings."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from varde.accounts import audit_sentences as audit
from varde.listening.choices import AlertSensitivity, source_kind_labels


def _source_kind(raw: Any, reading: audit.Reading) -> str:
    return str(source_kind_labels().get(str(raw), audit.plain(raw, reading)))


def register() -> None:
    audit.register(
        audit.EventKind("listening.query_created", _("%(actor)s created the query “%(name)s”.")),
        audit.EventKind("listening.query_changed", _("%(actor)s changed the query “%(name)s”.")),
        audit.EventKind("listening.query_deleted", _("%(actor)s deleted the query “%(name)s”.")),
        audit.EventKind(
            "listening.source_added",
            _("%(actor)s added the source “%(name)s” (%(kind)s)."),
            values={"kind": _source_kind},
        ),
        audit.EventKind(
            "listening.source_enabled", _("%(actor)s turned on the source “%(target)s”.")
        ),
        audit.EventKind("listening.source_paused", _("%(actor)s paused the source “%(target)s”.")),
        audit.EventKind(
            "listening.source_deleted",
            _("%(actor)s deleted the source “%(name)s” (%(kind)s)."),
            values={"kind": _source_kind},
        ),
        audit.EventKind(
            "listening.csv_imported",
            _("%(actor)s imported mentions from a file into “%(target)s”."),
            details=(audit.Detail("stored", _("Mentions stored")),),
        ),
        audit.EventKind(
            "listening.settings_changed",
            _("%(actor)s changed the listening settings."),
            details=(
                audit.Detail("retention_days", _("Days mentions are kept")),
                audit.Detail(
                    "alert_sensitivity", _("Alert sensitivity"), audit.choice(AlertSensitivity)
                ),
            ),
        ),
        area=_("Listening"),
    )
