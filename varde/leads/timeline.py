"""One sentence per line of a lead's timeline, in the reader's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from varde.leads.choices import EventKind, HandoffState, RefKind, Stage

if TYPE_CHECKING:
    from varde.leads.models import LeadEvent

_FIELDS = {
    "name": gettext_lazy("name"),
    "value": gettext_lazy("value"),
    "next_step": gettext_lazy("next step"),
    "next_step_on": gettext_lazy("next step on"),
    "campaign_id": gettext_lazy("campaign"),
}


def _stage(value: object) -> str:
    try:
        return str(Stage(str(value)).label)
    except ValueError:
        return str(value)


def _ref(value: object) -> str:
    try:
        return str(RefKind(str(value)).label).lower()
    except ValueError:
        return ""


def describe(event: LeadEvent) -> str:  # noqa: PLR0911 - one answer per kind
    detail = event.detail or {}
    kind = event.kind
    if kind == EventKind.CREATED:
        if detail.get("ref_kind"):
            return _("Created as %(stage)s (from: %(ref)s).") % {
                "stage": _stage(detail.get("stage")).lower(),
                "ref": _ref(detail["ref_kind"]),
            }
        return _("Created as %(stage)s.") % {"stage": _stage(detail.get("stage")).lower()}
    if kind == EventKind.STAGE:
        text = _("Moved from %(from)s to %(to)s.") % {
            "from": _stage(detail.get("from")).lower(),
            "to": _stage(detail.get("to")).lower(),
        }
        if detail.get("reason"):
            text += " " + _("Reason: %(reason)s") % {"reason": detail["reason"]}
        return text
    if kind == EventKind.NOTE:
        return _("Note:")
    if kind == EventKind.LINKED:
        return _("Linked: %(ref)s.") % {"ref": _ref(detail.get("ref_kind"))}
    if kind == EventKind.OWNER:
        return _("Owner set to %(name)s.") % {"name": detail.get("to") or "—"}
    if kind == EventKind.EDITED:
        names = [str(_FIELDS.get(field, field)) for field in detail.get("changes", {})]
        return _("Changed %(fields)s.") % {"fields": ", ".join(names)}
    if kind == EventKind.MERGED:
        return _("Merged with lead #%(id)s (@%(handle)s); its timeline is here.") % {
            "id": detail.get("merged_lead"),
            "handle": detail.get("handle", ""),
        }
    if kind == EventKind.HANDOFF:
        state = detail.get("state")
        if state == HandoffState.DELIVERED:
            return _("Delivered to the CRM.")
        if state == HandoffState.FAILED:
            return _("Could not be sent to the CRM after %(tries)s tries.") % {
                "tries": detail.get("attempts", 0)
            }
        return _("Sent to the CRM.")
    return str(kind)
