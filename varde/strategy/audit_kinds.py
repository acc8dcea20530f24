"""The plan's history as sentences: who added, changed or removed which part of the plan, and
what each changed field now says, named as the plan's forms name it."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from varde.accounts import audit_sentences as audit
from varde.lib import readable
from varde.strategy.kinds import KINDS, Kind
from varde.strategy.models import Network, StrategyPlan

AREA = _("Strategy")

# Fields whose own names are too short out of their form ("days" of what?).
_LABELS = {"days": _("Publishing days"), "times": _("Publishing times")}


def _weekdays(raw: Any, reading: audit.Reading) -> str:
    if not isinstance(raw, list):
        return audit.plain(raw, reading)
    return readable.weekdays(day for day in raw if str(day).isdigit())


def _times(raw: Any, reading: audit.Reading) -> str:
    if not isinstance(raw, list):
        return audit.plain(raw, reading)
    return readable.in_words(
        str(time).replace(":", ".") if _bokmal() else str(time) for time in raw
    )


def _bokmal() -> bool:
    return (translation.get_language() or "").startswith("nb")


def _handles(raw: Any, reading: audit.Reading) -> str:
    """A competitor's accounts, stored as [{"network": "instagram", "handle": "@x"}, ...]."""
    if not isinstance(raw, list):
        return audit.plain(raw, reading)
    shown = []
    for entry in raw:
        if isinstance(entry, dict):
            network = (
                Network(entry["network"]).label if entry.get("network") in Network.values else ""
            )
            shown.append(
                f"{network}: {entry.get('handle', '')}" if network else str(entry.get("handle", ""))
            )
        else:
            shown.append(audit.plain(entry, reading))
    return readable.in_words(shown)


_FORMATS: dict[str, audit.Formatter] = {"days": _weekdays, "times": _times, "handles": _handles}

_VERB_SENTENCES = {
    "created": _("%(actor)s added “%(target)s” to the plan (%(what)s)."),
    "updated": _("%(actor)s changed “%(target)s” in the plan (%(what)s)."),
    "deleted": _("%(actor)s removed “%(target)s” from the plan (%(what)s)."),
}


def _kind_events(kind: Kind) -> list[audit.EventKind]:
    writer = audit.model_change_writer(kind.model, labels=_LABELS, formats=_FORMATS)
    what = kind.label
    return [
        audit.EventKind(
            f"strategy.{kind.key}.{verb}",
            sentence,
            # A removal lists nothing: the sentence names what went, and the history keeps it.
            changes=writer if verb != "deleted" else _nothing,
            values={"what": audit.fixed(what)},
        )
        for verb, sentence in _VERB_SENTENCES.items()
    ]


def _nothing(action: str, changes: Any, reading: audit.Reading) -> list[str]:
    return []


def _template(raw: Any, reading: audit.Reading) -> str:
    from varde.strategy.starter_plans_data import TEMPLATES

    if raw == "demo":
        return str(_("the demo plan"))
    found = TEMPLATES.get(str(raw))
    if found is None:
        return str(_("a template"))
    return str(_("the template “%(name)s”")) % {"name": found.name.get()}


def register() -> None:
    audit.register(
        *(event for kind in KINDS.values() for event in _kind_events(kind)),
        audit.EventKind(
            "strategy.plan.updated",
            _("%(actor)s changed the plan."),
            changes=audit.model_change_writer(StrategyPlan, labels=_LABELS, formats=_FORMATS),
        ),
        audit.EventKind(
            "strategy.version.saved",
            _("%(actor)s saved the plan as version %(number)s."),
            details=(audit.Detail("note", _("Note")),),
        ),
        audit.EventKind(
            "strategy.version.adopted",
            _("%(actor)s marked version %(number)s as the adopted plan."),
        ),
        audit.EventKind(
            "strategy.template.applied",
            _("%(actor)s filled in the plan from %(template)s."),
            values={"template": _template},
        ),
        area=AREA,
    )
