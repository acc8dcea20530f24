"""Every change to the plan goes through here, and every change is recorded in the audit log.

The audit events (action ``strategy.*``, with the changed fields in ``detail["changes"]``) are the
plan's history; ``PlanVersion`` rows are saved copies of the whole plan, one of which may be
marked adopted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from varde.accounts import selectors as account_selectors
from varde.accounts.services import audit_record
from varde.strategy.kinds import KINDS, Kind
from varde.strategy.models import (
    Audience,
    BusinessGoal,
    Competitor,
    ContentPillar,
    EscalationStep,
    HashtagRule,
    KeyMessage,
    PlanChannel,
    PlanPerson,
    PlanVersion,
    Responsibility,
    Review,
    SocialGoal,
    StrategyPlan,
    TermRule,
)

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace

# The plan-wide fields a user may change (everything except keys and timestamps).
PLAN_FIELDS = frozenset(
    field.name
    for field in StrategyPlan._meta.get_fields()
    if getattr(field, "concrete", False)
    and field.name not in {"id", "workspace", "created_at", "updated_at"}
)

# Models deleted, in this order, when the demo replaces a plan.
_ITEM_MODELS: tuple[type[models.Model], ...] = (
    KeyMessage,
    Responsibility,
    EscalationStep,
    SocialGoal,
    BusinessGoal,
    Audience,
    ContentPillar,
    HashtagRule,
    TermRule,
    Competitor,
    Review,
    PlanChannel,
    PlanPerson,
)


def _display(value: Any) -> Any:  # noqa: PLR0911 - one return per value type
    """A JSON-friendly, human-readable form of a field value, for the change log."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple):
        return [_display(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _display(item) for key, item in value.items()}
    return str(value)


def _state(instance: models.Model) -> dict[str, Any]:
    state: dict[str, Any] = {}
    for field in instance._meta.get_fields():
        if not getattr(field, "concrete", False) or field.name in {"id", "workspace"}:
            continue
        if field.many_to_many:
            if instance.pk is None:
                state[field.name] = []
            else:
                related = getattr(instance, field.name).all()
                state[field.name] = sorted(str(item) for item in related)
        elif field.name not in {"created_at", "updated_at"}:
            state[field.name] = _display(getattr(instance, field.name))
    return state


def _changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def _check_workspace(workspace: Workspace, fields: Mapping[str, Any]) -> None:
    """Refuse a reference to another workspace's data (forms limit choices; this is the guard)."""
    for name, value in fields.items():
        values: Iterable[Any] = (
            value if isinstance(value, list | tuple | models.QuerySet) else [value]
        )
        for item in values:
            owner = getattr(item, "workspace_id", None)
            if isinstance(item, models.Model) and owner is not None and owner != workspace.pk:
                raise ValidationError({name: _("Choose something from this workspace's plan.")})
            if (
                isinstance(item, get_user_model())
                and not account_selectors.members_of(workspace=workspace).filter(user=item).exists()
            ):
                raise ValidationError({name: _("Choose a member of this workspace.")})


def _apply_fields(instance: models.Model, fields: Mapping[str, Any]) -> dict[str, Any]:
    """Set plain fields now; return the many-to-many values to set after saving."""
    many: dict[str, Any] = {}
    for name, value in fields.items():
        field = instance._meta.get_field(name)
        if field.many_to_many:
            many[name] = value
        else:
            setattr(instance, name, value)
    return many


def plan_get_or_create(*, workspace: Workspace) -> StrategyPlan:
    plan, _created = StrategyPlan.objects.get_or_create(workspace=workspace)
    return plan


@transaction.atomic
def plan_update(
    *, workspace: Workspace, actor: User | None, fields: Mapping[str, Any]
) -> StrategyPlan:
    unknown = set(fields) - PLAN_FIELDS
    if unknown:
        raise ValueError(f"Not plan fields: {sorted(unknown)}")
    _check_workspace(workspace, fields)
    plan = plan_get_or_create(workspace=workspace)
    before = _state(plan)
    _apply_fields(plan, fields)
    plan.full_clean()
    plan.save()
    changes = _changes(before, _state(plan))
    if changes:
        audit_record(
            action="strategy.plan.updated",
            workspace=workspace,
            actor=actor,
            target=plan,
            detail={"changes": changes},
        )
    return plan


def _kind(kind: str) -> Kind:
    try:
        return KINDS[kind]
    except KeyError:
        raise ValueError(f"Unknown part of the plan: {kind}") from None


@transaction.atomic
def plan_item_create(
    *, workspace: Workspace, actor: User | None, kind: str, fields: Mapping[str, Any]
) -> models.Model:
    """Add one row to a list in the plan: a channel, a goal, an audience, a review, ..."""
    spec = _kind(kind)
    _check_workspace(workspace, fields)
    instance = spec.model(workspace=workspace)
    many = _apply_fields(instance, fields)
    instance.full_clean()
    instance.save()
    for name, value in many.items():
        getattr(instance, name).set(value)
    audit_record(
        action=f"strategy.{spec.key}.created",
        workspace=workspace,
        actor=actor,
        target=instance,
        detail={"changes": _changes({}, _state(instance))},
    )
    return instance


@transaction.atomic
def plan_item_update(
    *, item: models.Model, actor: User | None, kind: str, fields: Mapping[str, Any]
) -> models.Model:
    spec = _kind(kind)
    if not isinstance(item, spec.model):
        raise ValueError(f"{item!r} is not a {kind}")
    workspace: Workspace = item.workspace  # type: ignore[attr-defined]
    _check_workspace(workspace, fields)
    before = _state(item)
    many = _apply_fields(item, fields)
    item.full_clean()
    item.save()
    for name, value in many.items():
        getattr(item, name).set(value)
    changes = _changes(before, _state(item))
    if changes:
        audit_record(
            action=f"strategy.{spec.key}.updated",
            workspace=workspace,
            actor=actor,
            target=item,
            detail={"changes": changes},
        )
    return item


@transaction.atomic
def plan_item_delete(*, item: models.Model, actor: User | None, kind: str) -> None:
    spec = _kind(kind)
    if not isinstance(item, spec.model):
        raise ValueError(f"{item!r} is not a {kind}")
    workspace: Workspace = item.workspace  # type: ignore[attr-defined]
    audit_record(
        action=f"strategy.{spec.key}.deleted",
        workspace=workspace,
        actor=actor,
        target=item,
        detail={"changes": _changes(_state(item), {})},
    )
    item.delete()


@transaction.atomic
def plan_version_save(*, workspace: Workspace, actor: User | None, note: str = "") -> PlanVersion:
    """Keep a copy of the whole plan as it reads now, in the workspace language."""
    from varde.strategy.export import plan_markdown

    last = PlanVersion.objects.filter(workspace=workspace).aggregate(n=Max("number"))["n"] or 0
    version = PlanVersion.objects.create(
        workspace=workspace,
        number=last + 1,
        note=note.strip(),
        markdown=plan_markdown(workspace=workspace),
        created_at=timezone.now(),
        created_by=actor,
    )
    audit_record(
        action="strategy.version.saved",
        workspace=workspace,
        actor=actor,
        target=version,
        detail={"number": version.number, "note": version.note},
    )
    return version


@transaction.atomic
def plan_version_adopt(*, version: PlanVersion, actor: User | None) -> PlanVersion:
    """Mark a version as the adopted plan; the one adopted before it stops being adopted."""
    PlanVersion.objects.filter(workspace_id=version.workspace_id, adopted_at__isnull=False).exclude(
        pk=version.pk
    ).update(adopted_at=None, adopted_by=None)
    version.adopted_at = timezone.now()
    version.adopted_by = actor
    version.save(update_fields=["adopted_at", "adopted_by"])
    audit_record(
        action="strategy.version.adopted",
        workspace=version.workspace,
        actor=actor,
        target=version,
        detail={"number": version.number},
    )
    return version


def _plan_is_empty_for(workspace: Workspace, model: type[models.Model]) -> bool:
    return not model._default_manager.filter(workspace=workspace).exists()


@transaction.atomic
def strategy_apply_template(
    *, workspace: Workspace, actor: User | None, template: str, language: str
) -> StrategyPlan:
    """Fill the plan from a template, in bokmål or English, without overwriting anything.

    Plan-wide text is filled only where it is empty, and a list (channels, goals, ...) only when
    it has no rows yet, so applying a template twice changes nothing the second time.
    """
    from varde.strategy.starter_plans_data import TEMPLATES, resolve

    if template not in TEMPLATES:
        raise ValidationError(_("Choose one of the templates in the list."))
    data = resolve(TEMPLATES[template].data, language)
    plan = _load_plan_data(workspace=workspace, data=data, only_empty=True)
    audit_record(
        action="strategy.template.applied",
        workspace=workspace,
        actor=actor,
        target=plan,
        detail={"template": template, "language": language},
    )
    return plan


@transaction.atomic
def plan_replace(
    *,
    workspace: Workspace,
    data: Mapping[str, Any],
    actor: User | None,
    template: str,
    language: str,
    users: Mapping[str, User] | None = None,
) -> StrategyPlan:
    """Replace the workspace's plan, its items and versions with template data resolved in one
    language (the demo's plan, ``varde/demo/plan.py``).

    ``users`` links people in the data to Varde users by the person's key in the data, so
    inbox and approvals can find them.
    """
    for model in _ITEM_MODELS:
        model._default_manager.filter(workspace=workspace).delete()
    PlanVersion.objects.filter(workspace=workspace).delete()
    StrategyPlan.objects.filter(workspace=workspace).delete()
    plan = _load_plan_data(workspace=workspace, data=data, only_empty=False, users=users or {})
    audit_record(
        action="strategy.template.applied",
        workspace=workspace,
        actor=actor,
        target=plan,
        detail={"template": template, "language": language},
    )
    return plan


@transaction.atomic
def plan_version_date_back_for_demo(
    *, version: PlanVersion, actor: User | None, at: dt.datetime
) -> None:
    """Date a version, adopted by ``actor``, and the plan's history before it back to ``at``:
    the demo reads as a plan written and adopted weeks ago. The one write only the demo makes
    (``varde/demo/plan.py``)."""
    PlanVersion.objects.filter(pk=version.pk).update(created_at=at, adopted_at=at, adopted_by=actor)
    account_selectors.audit_events(workspace=version.workspace).filter(
        action__startswith="strategy."
    ).update(created_at=at - dt.timedelta(minutes=5))


def _load_plan_data(
    *,
    workspace: Workspace,
    data: Mapping[str, Any],
    only_empty: bool,
    users: Mapping[str, User] | None = None,
) -> StrategyPlan:
    """Create the plan's rows from template data; keys in the data link rows to each other."""
    plan = plan_get_or_create(workspace=workspace)
    load = _PlanLoad(workspace=workspace, data=data, only_empty=only_empty, users=users or {})
    for load_part in _LOAD_PARTS:
        load_part(load)
    _load_plan_fields(plan, load)
    plan.full_clean()
    plan.save()
    return plan


@dataclasses.dataclass
class _PlanLoad:
    """One load of template data, and the rows made so far by their key in the data: later
    parts link to earlier ones (a goal to its channel, a responsibility to its people)."""

    workspace: Workspace
    data: Mapping[str, Any]
    only_empty: bool
    users: Mapping[str, User]
    today: dt.date = dataclasses.field(default_factory=timezone.localdate)
    people: dict[str, PlanPerson] = dataclasses.field(default_factory=dict)
    channels: dict[str, PlanChannel] = dataclasses.field(default_factory=dict)
    business: dict[str, BusinessGoal] = dataclasses.field(default_factory=dict)
    audiences: dict[str, Audience] = dataclasses.field(default_factory=dict)

    def rows(self, key: str, model: type[models.Model]) -> list[dict[str, Any]]:
        """The rows to create for one part; none when a template must not touch a filled part."""
        rows: list[dict[str, Any]] = self.data.get(key, [])
        if rows and (not self.only_empty or _plan_is_empty_for(self.workspace, model)):
            return rows
        return []

    def person(self, row: Mapping[str, Any], name: str) -> PlanPerson | None:
        return self.people.get(row.get(name, ""))

    def channel_list(self, keys: Iterable[str]) -> list[PlanChannel]:
        return [self.channels[key] for key in keys if key in self.channels]

    def people_list(self, keys: Iterable[str]) -> list[PlanPerson]:
        return [self.people[key] for key in keys if key in self.people]


def _without(row: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    """A row's own field values: the keys that link it to other rows are left out."""
    return {k: v for k, v in row.items() if k not in keys}


def _load_people(load: _PlanLoad) -> None:
    for row in load.rows("people", PlanPerson):
        load.people[row["key"]] = PlanPerson.objects.create(
            workspace=load.workspace,
            name=row["name"],
            title=row.get("title", ""),
            user=load.users.get(row["key"]),
        )


def _load_channels(load: _PlanLoad) -> None:
    for row in load.rows("channels", PlanChannel):
        fields = _without(row, "key", "producer", "approver")
        if "last_post_days_ago" in fields:
            days_ago = fields.pop("last_post_days_ago")
            fields["last_post_on"] = load.today - dt.timedelta(days=days_ago)
        load.channels[row["key"]] = PlanChannel.objects.create(
            workspace=load.workspace,
            producer=load.person(row, "producer"),
            approver=load.person(row, "approver"),
            **fields,
        )


def _load_publishing_access(load: _PlanLoad) -> None:
    """Who may publish where: people and channels must both exist first."""
    for row in load.data.get("people", []):
        if row["key"] in load.people and row.get("publishes_to"):
            load.people[row["key"]].publishes_to.set(load.channel_list(row["publishes_to"]))


def _load_competitors(load: _PlanLoad) -> None:
    for row in load.rows("competitors", Competitor):
        Competitor.objects.create(workspace=load.workspace, **row)


def _load_business_goals(load: _PlanLoad) -> None:
    for row in load.rows("business_goals", BusinessGoal):
        load.business[row["key"]] = BusinessGoal.objects.create(
            workspace=load.workspace, title=row["title"], description=row.get("description", "")
        )


def _load_social_goals(load: _PlanLoad) -> None:
    for row in load.rows("social_goals", SocialGoal):
        days = row.get("deadline_days")
        SocialGoal.objects.create(
            workspace=load.workspace,
            business_goal=load.business.get(row.get("business_goal", "")),
            channel=load.channels.get(row.get("channel", "")),
            owner=load.person(row, "owner"),
            deadline=load.today + dt.timedelta(days=days) if days else None,
            **_without(row, "business_goal", "channel", "owner", "deadline_days"),
        )


def _load_audiences(load: _PlanLoad) -> None:
    for row in load.rows("audiences", Audience):
        audience = Audience.objects.create(
            workspace=load.workspace, **_without(row, "key", "channels")
        )
        audience.channels.set(load.channel_list(row.get("channels", [])))
        load.audiences[row["key"]] = audience


def _load_key_messages(load: _PlanLoad) -> None:
    for row in load.rows("key_messages", KeyMessage):
        KeyMessage.objects.create(
            workspace=load.workspace,
            audience=load.audiences.get(row.get("audience") or ""),
            text=row["text"],
            proof=row.get("proof", ""),
        )


def _load_unlinked_lists(load: _PlanLoad) -> None:
    """Pillars, hashtags and terms: rows that link to nothing, created as they are."""
    unlinked: tuple[tuple[str, type[models.Model]], ...] = (
        ("pillars", ContentPillar),
        ("hashtags", HashtagRule),
        ("terms", TermRule),
    )
    for key, model in unlinked:
        for row in load.rows(key, model):
            model._default_manager.create(workspace=load.workspace, **row)


def _load_responsibilities(load: _PlanLoad) -> None:
    for row in load.rows("responsibilities", Responsibility):
        item = Responsibility.objects.create(
            workspace=load.workspace,
            activity=row["activity"],
            responsible=load.person(row, "responsible"),
            accountable=load.person(row, "accountable"),
        )
        item.consulted.set(load.people_list(row.get("consulted", [])))
        item.informed.set(load.people_list(row.get("informed", [])))


def _load_escalation(load: _PlanLoad) -> None:
    for row in load.rows("escalation", EscalationStep):
        EscalationStep.objects.create(
            workspace=load.workspace, person=load.person(row, "person"), **_without(row, "person")
        )


def _load_reviews(load: _PlanLoad) -> None:
    for row in load.rows("reviews", Review):
        Review.objects.create(
            workspace=load.workspace,
            held_on=load.today - dt.timedelta(days=row["days_ago"]),
            **_without(row, "days_ago"),
        )


# In this order: a part may link only to rows made by the parts before it.
_LOAD_PARTS: tuple[Callable[[_PlanLoad], None], ...] = (
    _load_people,
    _load_channels,
    _load_publishing_access,
    _load_competitors,
    _load_business_goals,
    _load_social_goals,
    _load_audiences,
    _load_key_messages,
    _load_unlinked_lists,
    _load_responsibilities,
    _load_escalation,
    _load_reviews,
)


def _load_plan_fields(plan: StrategyPlan, load: _PlanLoad) -> None:
    """The plan-wide answers; a template fills only what the user has not answered yet."""
    # The mix counts as unanswered while it is still the default 34/33/33.
    mix_untouched = (plan.mix_promotional, plan.mix_curated, plan.mix_engagement) == (34, 33, 33)
    for name, value in load.data.get("plan", {}).items():
        if name == "review_owner":
            if plan.review_owner_id is None or not load.only_empty:
                plan.review_owner = load.people.get(value)
            continue
        current = getattr(plan, name)
        is_default = current in ("", None) or (name.startswith("mix_") and mix_untouched)
        if not load.only_empty or is_default:
            setattr(plan, name, value)
