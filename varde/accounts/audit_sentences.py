"""Every kind of audit event as a sentence in the reader's language.

The audit log stores what happened as the code knew it: an action such as ``post.approved``, a
target's label and a ``detail`` dict of raw values. People read it as sentences: "Kari Nordmann
approved the post “Julesalg”." with the change below in words and the time in the workspace's
time zone. Each app declares the kinds it writes, with their sentences, in ``AppConfig.ready()``
(``<app>/audit_kinds.py``), like notification kinds; ``describe`` turns a stored event into a
``ReadableEvent``. A kind nobody declared still reads as a plain sentence ("… made a change to
…"), and ``accounts/tests/test_audit_sentences.py`` fails when code writes a kind that has no
sentence, so the fallback is a safety net rather than the normal case.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from varde.lib import readable

if TYPE_CHECKING:
    from varde.accounts.models import AuditEvent


@dataclass(frozen=True)
class Reading:
    """Who reads the log: the workspace (every lookup a formatter makes is limited to it) and
    its time zone (every time is shown as its clocks showed it)."""

    workspace_id: int
    zone: str


# (stored value, reading) → words.
Formatter = Callable[[Any, Reading], str]
# (action, {field: [before, after]}, reading) → one line per changed field.
ChangeWriter = Callable[[str, Mapping[str, Any], Reading], list[str]]


def plain(raw: Any, reading: Reading) -> str:
    return readable.value(raw, reading.zone)


def fixed(words: str | Promise) -> Formatter:
    """A placeholder that is always the same words (the part of the plan an event is about)."""

    def show(raw: Any, reading: Reading) -> str:
        return str(words)

    return show


def choice(choices: type[models.TextChoices]) -> Formatter:
    """A stored choice ("in_review") written as its label in lower case ("in review")."""

    def show(raw: Any, reading: Reading) -> str:
        try:
            return str(choices(raw).label).lower()
        except ValueError:
            return readable.value(raw, reading.zone)

    return show


def moment(raw: Any, reading: Reading) -> str:
    """A stored ISO time at the workspace's local time ("7. des. 2026 kl. 14.05")."""
    instant = readable.parse_instant(str(raw)) if raw else None
    return readable.moment(instant, reading.zone) if instant else plain(raw, reading)


@dataclass(frozen=True)
class Detail:
    """One value of the event's ``detail`` shown as a line under the sentence: "Reason: …"."""

    key: str
    label: str | Promise
    show: Formatter = plain


@dataclass(frozen=True)
class EventKind:
    """``sentence`` may use ``%(actor)s``, ``%(target)s`` and ``%(<detail key>)s``; ``values``
    says how such a detail value is written (plain words by default)."""

    key: str
    sentence: str | Promise
    details: tuple[Detail, ...] = ()
    values: Mapping[str, Formatter] = field(default_factory=dict)
    changes: ChangeWriter | None = None
    area: str | Promise = ""
    # The detail key that names who acted when no user did (a client on a review link).
    actor_detail: str = ""
    # True where the whole detail is {field: [before, after]} rather than under "changes".
    detail_is_changes: bool = False


@dataclass(frozen=True)
class ReadableEvent:
    pk: int
    when: str
    actor: str
    sentence: str
    lines: list[str]


_KINDS: dict[str, EventKind] = {}
# target_type → how a stored label is shown now: a channel once stored "Name (facebook)", and
# a delivery's label names ids only, so its app looks the post and channel up.
TargetLabel = Callable[[str, str, Reading], str]  # (stored label, target id, reading) → words
_TARGET_LABELS: dict[str, TargetLabel] = {}


def register(*kinds: EventKind, area: str | Promise) -> None:
    """Declare kinds under one area (the audit log's filter); a later declaration replaces an
    earlier one of the same key."""
    for kind in kinds:
        _KINDS[kind.key] = replace(kind, area=area)


def register_target_label(target_type: str, rewrite: TargetLabel) -> None:
    _TARGET_LABELS[target_type] = rewrite


def is_described(action: str) -> bool:
    return action in _KINDS


def described_kinds() -> frozenset[str]:
    return frozenset(_KINDS)


def areas() -> list[tuple[str, str]]:
    """(value, name) of each area for the audit log's filter, by name in the reader's language.
    The value is the name itself: the filter is read back in the same language."""
    names = sorted({str(kind.area) for kind in _KINDS.values()})
    return [(name, name) for name in names]


def kinds_in_area(area: str) -> list[str]:
    return [key for key, kind in _KINDS.items() if str(kind.area) == area]


class _Placeholders(dict[str, str]):
    """The values a sentence may name; a missing one reads as a dash rather than failing."""

    def __missing__(self, key: str) -> str:
        return "–"


def _actor(event: AuditEvent, kind: EventKind | None) -> str:
    if event.actor is not None and event.actor.full_name:
        return str(event.actor.full_name)
    named = event.detail.get(kind.actor_detail) if kind and kind.actor_detail else None
    return event.actor_label or (str(named) if named else "") or _("Varde")


def _target(event: AuditEvent, reading: Reading) -> str:
    label = event.target_label or str(event.detail.get("name", "") or "")
    rewrite = _TARGET_LABELS.get(event.target_type)
    return rewrite(label, event.target_id, reading) if rewrite and label else label


def _sentence(kind: EventKind, event: AuditEvent, actor: str, target: str, reading: Reading) -> str:
    values = _Placeholders(actor=actor, target=target or _("something that no longer exists"))
    detail = event.detail if isinstance(event.detail, dict) else {}
    for key, raw in detail.items():
        values[key] = plain(raw, reading)
    # A formatter runs even where the detail lacks its key: it may supply a fixed word.
    for key, show in kind.values.items():
        values[key] = show(detail.get(key), reading)
    return str(kind.sentence) % values


def _detail_lines(kind: EventKind, detail: Mapping[str, Any], reading: Reading) -> list[str]:
    lines = []
    for item in kind.details:
        raw = detail.get(item.key)
        if raw is None or (not raw and not isinstance(raw, bool)):
            continue
        shown = item.show(raw, reading)
        if shown:  # a formatter may judge a value not worth a line
            lines.append(_("%(label)s: %(value)s") % {"label": item.label, "value": shown})
    return lines


def describe(event: AuditEvent, *, zone: str) -> ReadableEvent:
    """The event as a sentence, with its changes and details in words and the local time."""
    reading = Reading(workspace_id=event.workspace_id or 0, zone=zone)
    kind = _KINDS.get(event.action)
    actor = _actor(event, kind)
    target = _target(event, reading)
    detail = event.detail if isinstance(event.detail, dict) else {}
    if kind is None:
        sentence, lines = _generic(actor, target), generic_detail_lines(detail, reading)
    else:
        sentence = _sentence(kind, event, actor, target, reading)
        lines = _detail_lines(kind, detail, reading)
        changes = detail if kind.detail_is_changes else detail.get("changes")
        if isinstance(changes, dict) and changes:
            writer = kind.changes or generic_change_lines
            lines = writer(event.action, changes, reading) + lines
    return ReadableEvent(
        pk=event.pk,
        when=readable.moment(event.created_at, zone),
        actor=actor,
        sentence=sentence,
        lines=lines,
    )


def describe_all(events: Iterable[AuditEvent], *, zone: str) -> list[ReadableEvent]:
    return [describe(event, zone=zone) for event in events]


def _generic(actor: str, target: str) -> str:
    if target:
        return _("%(actor)s made a change to “%(target)s”.") % {"actor": actor, "target": target}
    return _("%(actor)s made a change.") % {"actor": actor}


def _humanise(key: str) -> str:
    return key.replace("_", " ").replace("-", " ").strip().capitalize()


def generic_detail_lines(detail: Mapping[str, Any], reading: Reading) -> list[str]:
    """Each detail value as "Label: value", for a kind without its own sentence. Bare ids are
    left out: a number without its object says nothing to a reader."""
    lines = []
    for key, raw in detail.items():
        if key == "changes" and isinstance(raw, dict):
            lines.extend(generic_change_lines("", raw, reading))
        elif not _is_reference(key, raw):
            lines.append(
                _("%(label)s: %(value)s") % {"label": _humanise(key), "value": plain(raw, reading)}
            )
    return lines


# Detail keys that hold the id of a row (a post, a channel, a rule), not a count.
_REFERENCE_KEYS = frozenset(
    {"id", "post", "channel", "media", "rule", "action", "reply", "mention", "user", "lead"}
)


def _is_reference(key: str, raw: Any) -> bool:
    if isinstance(raw, bool) or raw is None:
        return False
    refers = key in _REFERENCE_KEYS or key.endswith(("_id", "_link", "_lead"))
    return refers and isinstance(raw, int | list)


def change_line(label: str, before: str, after: str, *, was_many: bool = False) -> str:
    """ "Publishing days: Monday and Wednesday (were none)" — the value now, then the old one."""
    if was_many:
        return _("%(label)s: %(after)s (were %(before)s)") % {
            "label": label,
            "after": after,
            "before": before,
        }
    return _("%(label)s: %(after)s (was %(before)s)") % {
        "label": label,
        "after": after,
        "before": before,
    }


def generic_change_lines(action: str, changes: Mapping[str, Any], reading: Reading) -> list[str]:
    lines = []
    for name, pair in changes.items():
        before, after = _pair(pair)
        lines.append(
            change_line(
                _humanise(name),
                plain(before, reading),
                plain(after, reading),
                was_many=isinstance(before, list),
            )
        )
    return lines


def _pair(pair: Any) -> tuple[Any, Any]:
    if isinstance(pair, list | tuple) and len(pair) == 2:
        return pair[0], pair[1]
    return None, pair


def model_change_writer(
    model: type[models.Model],
    *,
    labels: Mapping[str, str | Promise] | None = None,
    formats: Mapping[str, Formatter] | None = None,
) -> ChangeWriter:
    """Changes to a model's fields, named as the model's forms name them (its verbose names)
    and written by the field's kind: a choice by its label, a flag as yes/no, a date as a date.
    ``labels`` and ``formats`` cover fields whose stored form needs more (weekday numbers)."""

    def write(action: str, changes: Mapping[str, Any], reading: Reading) -> list[str]:
        created = action.endswith(".created")
        lines = []
        for name, pair in changes.items():
            before, after = _pair(pair)
            if created and _is_empty(after):
                continue
            label = _field_label(model, name, labels or {})
            show = (formats or {}).get(name) or _field_formatter(model, name)
            now = show(after, reading) if not _is_empty(after) else _("none")
            if created:
                lines.append(_("%(label)s: %(value)s") % {"label": label, "value": now})
                continue
            was = show(before, reading) if not _is_empty(before) else _("none")
            lines.append(change_line(label, was, now, was_many=isinstance(before, list)))
        return lines

    return write


def _is_empty(raw: Any) -> bool:
    return raw is None or raw in ("", [], {})


def _field_label(model: type[models.Model], name: str, labels: Mapping[str, str | Promise]) -> str:
    if name in labels:
        return str(labels[name])
    try:
        verbose = str(getattr(model._meta.get_field(name), "verbose_name", "") or "")
    except FieldDoesNotExist:
        verbose = ""
    if not verbose:
        return _humanise(name)
    return verbose[:1].upper() + verbose[1:]


def _field_formatter(model: type[models.Model], name: str) -> Formatter:
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return plain
    choices = dict(getattr(found, "flatchoices", None) or ())
    if choices:
        return lambda raw, reading: str(choices.get(raw, plain(raw, reading)))
    return plain


# Sentences of the accounts app itself (users, workspaces, members, invitations).
def _role(raw: Any, reading: Reading) -> str:
    from varde.accounts.roles import Role

    return choice(Role)(raw, reading)


def _workspace_changes(action: str, changes: Mapping[str, Any], reading: Reading) -> list[str]:
    from django.conf import settings

    labels = {"name": _("Name"), "language": _("Language"), "timezone": _("Time zone")}
    languages = dict(settings.LANGUAGES)
    lines = []
    for name, pair in changes.items():
        before, after = _pair(pair)
        if name == "language":
            before, after = languages.get(before, before), languages.get(after, after)
        lines.append(
            change_line(
                str(labels.get(name, _humanise(name))),
                plain(before, reading),
                plain(after, reading),
            )
        )
    return lines


def register_account_kinds() -> None:
    register(
        EventKind("user.logged_in", gettext_lazy("%(actor)s signed in.")),
        EventKind(
            "user.renamed",
            gettext_lazy("%(actor)s changed their name from “%(from)s” to “%(to)s”."),
        ),
        EventKind(
            "user.made_superuser",
            gettext_lazy("%(target)s became an administrator of this installation."),
        ),
        EventKind(
            "user.password_set",
            gettext_lazy("%(target)s got a new password from the command line."),
        ),
        EventKind("user.mfa_enabled", gettext_lazy("%(actor)s turned on two-step sign-in.")),
        EventKind("user.mfa_disabled", gettext_lazy("%(actor)s turned off two-step sign-in.")),
        EventKind(
            "workspace.created", gettext_lazy("%(actor)s created the workspace “%(target)s”.")
        ),
        EventKind(
            "workspace.settings_changed",
            gettext_lazy("%(actor)s changed the workspace settings."),
            changes=_workspace_changes,
        ),
        EventKind(
            "member.added",
            gettext_lazy("%(actor)s added %(target)s to the workspace as %(role)s."),
            values={"role": _role},
        ),
        EventKind(
            "member.role_changed",
            gettext_lazy("%(actor)s changed the role of %(target)s from %(from)s to %(to)s."),
            values={"from": _role, "to": _role},
        ),
        EventKind(
            "member.removed",
            gettext_lazy("%(actor)s removed %(target)s (%(role)s) from the workspace."),
            values={"role": _role},
        ),
        EventKind(
            "invitation.sent",
            gettext_lazy("%(actor)s invited %(email)s to join as %(role)s."),
            values={"role": _role},
        ),
        EventKind(
            "invitation.accepted", gettext_lazy("%(actor)s accepted an invitation and joined.")
        ),
        EventKind("invitation.revoked", gettext_lazy("%(actor)s withdrew an invitation.")),
        area=gettext_lazy("People and workspace"),
    )
