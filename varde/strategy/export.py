"""The plan as a document: built once as a list of blocks, written as Markdown, HTML or PDF.

The document is built in the workspace language (or the one asked for): phase titles and guidance
come from ``content`` in both languages, labels from the translation catalogue.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from varde.lib.localformat import plain_number
from varde.strategy import selectors
from varde.strategy.guidance import PHASES, TECHNOGRAPHICS
from varde.strategy.health import planned_hours_per_week

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.strategy.models import (
        Audience,
        KeyMessage,
        PlanChannel,
        PlanPerson,
        SocialGoal,
        StrategyPlan,
    )


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    kind: str = "heading"


@dataclass(frozen=True)
class Para:
    text: str
    kind: str = "para"


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    kind: str = "bullets"


@dataclass(frozen=True)
class Pairs:
    items: tuple[tuple[str, str], ...]
    kind: str = "pairs"


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    kind: str = "table"


Block = Heading | Para | Bullets | Pairs | Table


@dataclass
class Document:
    title: str
    subtitle: str
    language: str
    blocks: list[Block] = field(default_factory=list)

    def h(self, level: int, text: str) -> None:
        self.blocks.append(Heading(level, text))

    def p(self, text: str) -> None:
        if text.strip():
            self.blocks.append(Para(text.strip()))

    def pairs(self, items: Iterable[tuple[str, str]]) -> None:
        kept = tuple((k, v) for k, v in items if v)
        if kept:
            self.blocks.append(Pairs(kept))

    def table(self, headers: Iterable[str], rows: Iterable[Iterable[str]]) -> None:
        body = tuple(tuple(row) for row in rows)
        if body:
            self.blocks.append(Table(tuple(headers), body))

    def bullets(self, items: Iterable[str]) -> None:
        kept = tuple(item for item in items if item)
        if kept:
            self.blocks.append(Bullets(kept))

    def none_yet(self) -> None:
        self.blocks.append(Para(_("Not filled in yet.")))


def _num(value: Decimal | int | None) -> str:
    return plain_number(value)


def _date(value: date | None) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else ""


def _days(days: list[int]) -> str:
    return ", ".join(str(WEEKDAYS[int(d)]) for d in sorted(days) if 0 <= int(d) <= 6)


def plan_document(workspace: Workspace, *, language: str | None = None) -> Document:
    lang = language or workspace.language
    with translation.override(lang):
        return _build(workspace, lang)


@dataclass
class _Source:
    """What the phase builders read: the plan row and its channels are fetched once and shared."""

    workspace: Workspace
    lang: str
    plan: StrategyPlan
    channels: list[PlanChannel]


def _build(workspace: Workspace, lang: str) -> Document:
    """The document: a title, then each phase under its heading, built by its own function."""
    doc = Document(
        title=_("Social media plan for %(name)s") % {"name": workspace.name},
        subtitle=_("Written in Varde, %(date)s") % {"date": _date(timezone.localdate())},
        language=lang,
    )
    source = _Source(
        workspace=workspace,
        lang=lang,
        plan=selectors.plan_or_default(workspace),
        channels=list(selectors.channel_list(workspace)),
    )
    titles = {p.number: p.title.get(lang) for p in PHASES}
    for number, build_phase in enumerate(PHASE_BUILDERS, start=1):
        doc.h(2, _("Phase %(number)s: %(title)s") % {"number": number, "title": titles[number]})
        build_phase(doc, source)
    return doc


# Small pieces the phases share.


def _text_or_none_yet(doc: Document, text: str) -> None:
    doc.p(text) if text.strip() else doc.none_yet()


def _table_or_none_yet(doc: Document, headers: list[str], rows: list[tuple[str, ...]]) -> None:
    """A table, or "Not filled in yet." where a list the plan should have is empty."""
    doc.table(headers, rows)
    if not rows:
        doc.none_yet()


def _name(person: PlanPerson | None) -> str:
    return person.name if person else ""


def _names(people: Iterable[PlanPerson]) -> str:
    return ", ".join(p.name for p in people)


def _percent(value: int | None) -> str:
    return f"{value} %" if value is not None else ""


def _hours(value: Decimal | None) -> str:
    return _("%(hours)s hours") % {"hours": _num(value)} if value is not None else ""


# Phase 1: situation analysis.


def _phase_situation(doc: Document, source: _Source) -> None:
    doc.h(3, _("Channels today"))
    _table_or_none_yet(
        doc,
        [
            _("Channel"),
            _("Exists"),
            _("Followers"),
            _("Posts per week"),
            _("Engagement"),
            _("Last post"),
            _("Run by"),
        ],
        [_channel_today_row(c) for c in source.channels],
    )
    doc.h(3, _("SWOT"))
    plan = source.plan
    doc.pairs(
        [
            (_("Strengths"), plan.strengths),
            (_("Weaknesses"), plan.weaknesses),
            (_("Opportunities"), plan.opportunities),
            (_("Threats"), plan.threats),
        ]
    )
    _competitors(doc, source.workspace)
    _resources(doc, source)


def _channel_today_row(channel: PlanChannel) -> tuple[str, ...]:
    engagement = channel.engagement_rate_now
    return (
        str(channel),
        _("yes") if channel.exists else _("no"),
        _num(channel.followers),
        _num(channel.posts_per_week_now),
        f"{_num(engagement)} %" if engagement is not None else "",
        _date(channel.last_post_on),
        channel.run_by_now,
    )


def _competitors(doc: Document, workspace: Workspace) -> None:
    doc.h(3, _("Competitors"))
    _table_or_none_yet(
        doc,
        [_("Name"), _("Website"), _("Accounts"), _("Notes")],
        [
            (c.name, c.website, _competitor_accounts(c.handles), c.notes)
            for c in selectors.competitor_list(workspace)
        ],
    )


def _competitor_accounts(handles: list[object]) -> str:
    return ", ".join(
        f"{h.get('network', '')}: {h.get('handle', '')}" for h in handles if isinstance(h, dict)
    )


def _resources(doc: Document, source: _Source) -> None:
    doc.h(3, _("Resources"))
    doc.pairs(
        [
            (_("Hours per week we can spend"), _num(source.plan.hours_per_week)),
            (_("Hours per week the plan needs"), _num(planned_hours_per_week(source.workspace))),
            (_("Money per month (NOK)"), _num(source.plan.budget_per_month)),
        ]
    )


# Phase 2: goals.


def _phase_goals(doc: Document, source: _Source) -> None:
    plan = source.plan
    doc.h(3, _("Mission"))
    _text_or_none_yet(doc, plan.mission)
    doc.pairs([(_("What our customers get out of it"), plan.customer_value)])
    doc.h(3, _("Business goals"))
    doc.bullets(g.title for g in selectors.business_goal_list(source.workspace))
    doc.h(3, _("Social media goals"))
    goals = list(selectors.social_goal_list(source.workspace))
    _table_or_none_yet(
        doc,
        [
            _("Goal"),
            _("Metric"),
            _("Now"),
            _("Target"),
            _("Deadline"),
            _("Responsible"),
            _("Serves"),
        ],
        [_goal_row(g) for g in goals],
    )
    doc.bullets(f"{g.title}: {g.measurement}" for g in goals if g.measurement)


def _goal_row(goal: SocialGoal) -> tuple[str, ...]:
    return (
        goal.title,
        goal.metric_label + (f" ({goal.channel})" if goal.channel else ""),
        _num(goal.baseline),
        _num(goal.target),
        _date(goal.deadline),
        _name(goal.owner),
        goal.business_goal.title if goal.business_goal else "",
    )


# Phase 3: target group.


def _phase_audiences(doc: Document, source: _Source) -> None:
    audiences = list(selectors.audience_list(source.workspace))
    if not audiences:
        doc.none_yet()
    for audience in audiences:
        _audience(doc, audience, source.lang)


def _audience(doc: Document, audience: Audience, lang: str) -> None:
    doc.h(3, f"{audience.priority}. {audience.name}")
    doc.pairs(
        [
            (_("Who they are"), audience.description),
            (_("What they care about"), audience.cares_about),
            (_("Where they are online"), audience.where_they_are),
            (_("Our channels for them"), ", ".join(str(c) for c in audience.channels.all())),
        ]
    )
    doc.table(
        [_("Technographics"), _("Share"), _("What to do")],
        [
            (rung.name.get(lang), f"{getattr(audience, rung.field)} %", rung.tactic.get(lang))
            for rung in TECHNOGRAPHICS
            if getattr(audience, rung.field) is not None
        ],
    )


# Phase 4: strategy and publishing plan.


def _phase_publishing(doc: Document, source: _Source) -> None:
    plan = source.plan
    doc.h(3, _("Content mix"))
    doc.pairs(
        [
            (_("Promotional"), f"{plan.mix_promotional} %"),
            (_("Curated"), f"{plan.mix_curated} %"),
            (_("Conversation and engagement"), f"{plan.mix_engagement} %"),
        ]
    )
    doc.h(3, _("Content pillars"))
    _table_or_none_yet(
        doc,
        [_("Pillar"), _("Share"), _("What it covers"), _("Examples")],
        [
            (p.name, _percent(p.share), p.description, p.examples)
            for p in selectors.pillar_list(source.workspace)
        ],
    )
    _publishing_plan(doc, source.channels)


def _publishing_plan(doc: Document, channels: list[PlanChannel]) -> None:
    doc.h(3, _("Publishing plan"))
    doc.table(
        [
            _("Channel"),
            _("Role"),
            _("Posts per week"),
            _("Days"),
            _("Times"),
            _("Made by"),
            _("Approved by"),
        ],
        [
            (
                str(c),
                str(c.get_role_display()) if c.role else "",
                _num(c.posts_per_week),
                _days(c.days),
                ", ".join(c.times),
                _name(c.producer),
                _name(c.approver),
            )
            for c in channels
        ],
    )
    doc.bullets(f"{c}: {c.purpose}" for c in channels if c.purpose)


# Phase 5: message and tools.


def _phase_message(doc: Document, source: _Source) -> None:
    doc.h(3, _("Key messages"))
    messages = [_key_message(m) for m in selectors.key_message_list(source.workspace)]
    doc.bullets(messages)
    if not messages:
        doc.none_yet()
    doc.h(3, _("Tone of voice"))
    _text_or_none_yet(doc, source.plan.tone_of_voice)
    _hashtags(doc, source)
    doc.h(3, _("Banned and risky terms"))
    doc.table(
        [_("Term"), _("What happens"), _("Why")],
        [
            (t.term, str(t.get_severity_display()), t.note)
            for t in selectors.term_list(source.workspace)
        ],
    )
    doc.h(3, _("Tools"))
    _text_or_none_yet(doc, source.plan.tools)


def _key_message(message: KeyMessage) -> str:
    audience = message.audience.name if message.audience else _("Everyone")
    return f"{audience}: {message.text}" + (f" ({message.proof})" if message.proof else "")


def _hashtags(doc: Document, source: _Source) -> None:
    doc.h(3, _("Hashtags"))
    hashtags = list(selectors.hashtag_list(source.workspace))
    doc.pairs(
        [
            (_("Use"), ", ".join(f"#{h.tag}" for h in hashtags if h.use == "use")),
            (
                _("Avoid"),
                ", ".join(
                    f"#{h.tag} ({h.note})" if h.note else f"#{h.tag}"
                    for h in hashtags
                    if h.use == "avoid"
                ),
            ),
            (
                _("Before using a trending hashtag"),
                _("check what it is about right now") if source.plan.require_hashtag_check else "",
            ),
        ]
    )


# Phase 6: implementation.


def _phase_implementation(doc: Document, source: _Source) -> None:
    workspace, plan = source.workspace, source.plan
    doc.h(3, _("People and access"))
    doc.table(
        [_("Name"), _("Role"), _("May publish to")],
        [
            (p.name, p.title, ", ".join(str(c) for c in p.publishes_to.all()))
            for p in selectors.people_list(workspace)
        ],
    )
    _who_does_what(doc, workspace)
    doc.h(3, _("Social media policy"))
    _text_or_none_yet(doc, plan.social_media_policy)
    doc.pairs([(_("Guidelines for employees"), plan.employee_guidelines)])
    _playbook(doc, source)


def _who_does_what(doc: Document, workspace: Workspace) -> None:
    doc.h(3, _("Who does what"))
    doc.table(
        [_("Activity"), _("Responsible"), _("Accountable"), _("Consulted"), _("Informed")],
        [
            (
                r.activity,
                _name(r.responsible),
                _name(r.accountable),
                _names(r.consulted.all()),
                _names(r.informed.all()),
            )
            for r in selectors.responsibility_list(workspace)
        ],
    )


def _playbook(doc: Document, source: _Source) -> None:
    plan = source.plan
    doc.h(3, _("Playbook for negative comments and crises"))
    doc.pairs(
        [
            (_("May be hidden"), plan.playbook_hidable),
            (_("Criticism"), plan.playbook_criticism),
            (_("Never deleted"), _("Criticism is never deleted; it is answered.")),
            (_("Answer within"), _hours(plan.response_time_hours)),
        ]
    )
    doc.table(
        [_("Step"), _("When"), _("What we do"), _("Who"), _("Within")],
        [
            (str(s.order), s.situation, s.action, _name(s.person), _hours(s.within_hours))
            for s in selectors.escalation_list(source.workspace)
        ],
    )


# Phase 7: control.


def _phase_control(doc: Document, source: _Source) -> None:
    plan = source.plan
    doc.pairs(
        [
            (_("How often"), str(plan.get_review_cadence_display()) if plan.review_cadence else ""),
            (_("What we look at"), plan.review_scope),
            (_("Who leads the review"), _name(plan.review_owner)),
        ]
    )
    reviews = list(selectors.review_list(source.workspace))
    doc.h(3, _("Reviews"))
    if not reviews:
        doc.none_yet()
    for review in reviews:
        doc.pairs(
            [
                (_("Date"), _date(review.held_on)),
                (_("Who took part"), review.participants),
                (_("What we found"), review.findings),
                (_("What we decided"), review.decisions),
            ]
        )


# One builder per phase, in the plan's order: phase n is built by PHASE_BUILDERS[n - 1].
PHASE_BUILDERS: tuple[Callable[[Document, _Source], None], ...] = (
    _phase_situation,
    _phase_goals,
    _phase_audiences,
    _phase_publishing,
    _phase_message,
    _phase_implementation,
    _phase_control,
)


def _md_escape_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(doc: Document) -> str:
    lines = [f"# {doc.title}", "", f"_{doc.subtitle}_", ""]
    for block in doc.blocks:
        if isinstance(block, Heading):
            lines += ["#" * block.level + " " + block.text, ""]
        elif isinstance(block, Para):
            lines += [block.text, ""]
        elif isinstance(block, Bullets):
            lines += [f"- {item}" for item in block.items] + [""]
        elif isinstance(block, Pairs):
            for key, value in block.items:
                lines += [f"**{key}:** " + value.replace("\n", "  \n"), ""]
        else:
            lines.append("| " + " | ".join(_md_escape_cell(h) for h in block.headers) + " |")
            lines.append("|" + "---|" * len(block.headers))
            lines += [
                "| " + " | ".join(_md_escape_cell(c) for c in row) + " |" for row in block.rows
            ]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_html(doc: Document) -> str:
    return render_to_string("strategy/export.html", {"doc": doc})


def render_pdf(doc: Document) -> bytes:
    from varde.strategy.pdf import document_pdf

    return document_pdf(doc)


def plan_markdown(*, workspace: Workspace, language: str | None = None) -> str:
    return render_markdown(plan_document(workspace, language=language))
