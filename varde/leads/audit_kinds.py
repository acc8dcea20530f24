"""What the audit log says about leads and the CRM hand-off."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from varde.accounts import audit_sentences as audit
from varde.channels.presentation import network_label
from varde.leads.choices import HandoffState, RefKind, Stage
from varde.leads.models import Lead
from varde.lib import readable

# A lead is labelled "@handle (network code)"; the log shows the network's name.
_LABEL = re.compile(r"^(?P<handle>.*) \((?P<key>[a-z0-9_-]+|\?)\)$")


def lead_label(label: str, target_id: str, reading: audit.Reading) -> str:
    found = _LABEL.match(label)
    if found is None:
        return label
    if found["key"] == "?":
        return found["handle"]
    return f"{found['handle']} · {network_label(found['key'])}"


def _field_names(raw: Any, reading: audit.Reading) -> str:
    names = []
    for name in raw if isinstance(raw, list) else [raw]:
        try:
            names.append(str(getattr(Lead._meta.get_field(str(name)), "verbose_name", name)))
        except FieldDoesNotExist:
            names.append(str(name).replace("_", " "))
    return readable.in_words(names)


_HANDOFF_SENTENCES = {
    HandoffState.PENDING: _("The lead %(target)s waits to be sent to the CRM."),
    HandoffState.DELIVERED: _("The lead %(target)s was delivered to the CRM."),
    HandoffState.FAILED: _("The lead %(target)s could not be sent to the CRM."),
}


def register() -> None:
    stage = audit.choice(Stage)
    audit.register_target_label("lead", lead_label)
    audit.register(
        audit.EventKind(
            "lead.created",
            _("%(actor)s added %(target)s as a lead (%(stage)s)."),
            details=(audit.Detail("ref_kind", _("From"), audit.choice(RefKind)),),
            values={"stage": stage},
        ),
        audit.EventKind(
            "lead.linked",
            _("%(actor)s linked an interaction to the lead %(target)s."),
            details=(audit.Detail("ref_kind", _("From"), audit.choice(RefKind)),),
        ),
        audit.EventKind(
            "lead.stage_changed",
            _("%(actor)s moved the lead %(target)s from %(from)s to %(to)s."),
            details=(audit.Detail("reason", _("Why")),),
            values={"from": stage, "to": stage},
        ),
        audit.EventKind("lead.note_added", _("%(actor)s wrote a note on the lead %(target)s.")),
        audit.EventKind(
            "lead.updated",
            _("%(actor)s changed the details of the lead %(target)s."),
            details=(audit.Detail("fields", _("Changed"), _field_names),),
        ),
        audit.EventKind(
            "lead.merged",
            _("%(actor)s merged the duplicate @%(handle)s into the lead %(target)s."),
        ),
        audit.EventKind("lead.exported", _("%(actor)s exported the leads as a spreadsheet file.")),
        audit.EventKind(
            "lead.crm_set",
            _("%(actor)s changed where leads are sent to the CRM."),
            details=(
                audit.Detail("url", _("Address")),
                audit.Detail("enabled", _("Sending is on")),
            ),
        ),
        audit.EventKind(
            "lead.crm_secret_rotated", _("%(actor)s made a new signing secret for the CRM.")
        ),
        audit.EventKind(
            "lead.handoff_requested", _("%(actor)s sent the lead %(target)s to the CRM.")
        ),
        *(
            audit.EventKind(
                f"lead.handoff_{state}", sentence, details=(audit.Detail("attempts", _("Tries")),)
            )
            for state, sentence in _HANDOFF_SENTENCES.items()
        ),
        area=_("Leads"),
    )
