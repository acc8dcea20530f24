"""The plan as a document: built once as a list of blocks, written as Markdown, HTML or PDF.

The document is built in the workspace language (or the one asked for): phase titles and guidance
come from ``content`` in both languages, labels from the translation catalogue.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from varde.strategy import selectors
from varde.strategy.content import PHASES, TECHNOGRAPHICS
from varde.strategy.health import planned_hours_per_week

if TYPE_CHECKING:
    from varde.accounts.models import Workspace


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
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = value.normalize()
        return formats.number_format(value, use_l10n=True) if value % 1 else f"{int(value)}"
    return str(value)


def _date(value: date | None) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else ""


def _days(days: list[int]) -> str:
    return ", ".join(str(WEEKDAYS[int(d)]) for d in sorted(days) if 0 <= int(d) <= 6)


def plan_document(workspace: Workspace, *, language: str | None = None) -> Document:
    lang = language or workspace.language
    with translation.override(lang):
        return _build(workspace, lang)


def _build(workspace: Workspace, lang: str) -> Document:  # noqa: PLR0915 - one long document
    plan = selectors.plan_or_default(workspace)
    doc = Document(
        title=_("Social media plan for %(name)s") % {"name": workspace.name},
        subtitle=_("Written in Varde, %(date)s") % {"date": _date(timezone.localdate())},
        language=lang,
    )
    phase = {p.number: p.title.get(lang) for p in PHASES}

    def phase_heading(number: int) -> None:
        doc.h(2, _("Phase %(number)s: %(title)s") % {"number": number, "title": phase[number]})

    # Phase 1
    phase_heading(1)
    doc.h(3, _("Channels today"))
    channels = list(selectors.channel_list(workspace))
    doc.table(
        [
            _("Channel"),
            _("Exists"),
            _("Followers"),
            _("Posts per week"),
            _("Engagement"),
            _("Last post"),
            _("Run by"),
        ],
        [
            (
                str(c),
                _("yes") if c.exists else _("no"),
                _num(c.followers),
                _num(c.posts_per_week_now),
                f"{_num(c.engagement_rate_now)} %" if c.engagement_rate_now is not None else "",
                _date(c.last_post_on),
                c.run_by_now,
            )
            for c in channels
        ],
    )
    if not channels:
        doc.none_yet()
    doc.h(3, _("SWOT"))
    doc.pairs(
        [
            (_("Strengths"), plan.strengths),
            (_("Weaknesses"), plan.weaknesses),
            (_("Opportunities"), plan.opportunities),
            (_("Threats"), plan.threats),
        ]
    )
    doc.h(3, _("Competitors"))
    competitors = list(selectors.competitor_list(workspace))
    doc.table(
        [_("Name"), _("Website"), _("Accounts"), _("Notes")],
        [
            (
                c.name,
                c.website,
                ", ".join(
                    f"{h.get('network', '')}: {h.get('handle', '')}"
                    for h in c.handles
                    if isinstance(h, dict)
                ),
                c.notes,
            )
            for c in competitors
        ],
    )
    if not competitors:
        doc.none_yet()
    doc.h(3, _("Resources"))
    doc.pairs(
        [
            (_("Hours per week we can spend"), _num(plan.hours_per_week)),
            (_("Hours per week the plan needs"), _num(planned_hours_per_week(workspace))),
            (_("Money per month (NOK)"), _num(plan.budget_per_month)),
        ]
    )

    # Phase 2
    phase_heading(2)
    doc.h(3, _("Mission"))
    doc.p(plan.mission) if plan.mission.strip() else doc.none_yet()
    doc.pairs([(_("What our customers get out of it"), plan.customer_value)])
    doc.h(3, _("Business goals"))
    doc.bullets(g.title for g in selectors.business_goal_list(workspace))
    doc.h(3, _("Social media goals"))
    goals = list(selectors.social_goal_list(workspace))
    doc.table(
        [
            _("Goal"),
            _("Metric"),
            _("Now"),
            _("Target"),
            _("Deadline"),
            _("Responsible"),
            _("Serves"),
        ],
        [
            (
                g.title,
                g.metric_label + (f" ({g.channel})" if g.channel else ""),
                _num(g.baseline),
                _num(g.target),
                _date(g.deadline),
                g.owner.name if g.owner else "",
                g.business_goal.title if g.business_goal else "",
            )
            for g in goals
        ],
    )
    if not goals:
        doc.none_yet()
    doc.bullets(f"{g.title}: {g.measurement}" for g in goals if g.measurement)

    # Phase 3
    phase_heading(3)
    audiences = list(selectors.audience_list(workspace))
    if not audiences:
        doc.none_yet()
    for audience in audiences:
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

    # Phase 4
    phase_heading(4)
    doc.h(3, _("Content mix"))
    doc.pairs(
        [
            (_("Promotional"), f"{plan.mix_promotional} %"),
            (_("Shared from others"), f"{plan.mix_curated} %"),
            (_("Conversation and engagement"), f"{plan.mix_engagement} %"),
        ]
    )
    doc.h(3, _("Content pillars"))
    pillars = list(selectors.pillar_list(workspace))
    doc.table(
        [_("Pillar"), _("Share"), _("What it covers"), _("Examples")],
        [
            (p.name, f"{p.share} %" if p.share is not None else "", p.description, p.examples)
            for p in pillars
        ],
    )
    if not pillars:
        doc.none_yet()
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
                c.producer.name if c.producer else "",
                c.approver.name if c.approver else "",
            )
            for c in channels
        ],
    )
    doc.bullets(f"{c}: {c.purpose}" for c in channels if c.purpose)

    # Phase 5
    phase_heading(5)
    doc.h(3, _("Key messages"))
    messages = list(selectors.key_message_list(workspace))
    doc.bullets(
        f"{m.audience.name if m.audience else _('Everyone')}: {m.text}"
        + (f" ({m.proof})" if m.proof else "")
        for m in messages
    )
    if not messages:
        doc.none_yet()
    doc.h(3, _("Tone of voice"))
    doc.p(plan.tone_of_voice) if plan.tone_of_voice.strip() else doc.none_yet()
    doc.h(3, _("Hashtags"))
    hashtags = list(selectors.hashtag_list(workspace))
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
                _("check what it is about right now") if plan.require_hashtag_check else "",
            ),
        ]
    )
    doc.h(3, _("Banned and risky terms"))
    doc.table(
        [_("Term"), _("What happens"), _("Why")],
        [(t.term, str(t.get_severity_display()), t.note) for t in selectors.term_list(workspace)],
    )
    doc.h(3, _("Tools"))
    doc.p(plan.tools) if plan.tools.strip() else doc.none_yet()

    # Phase 6
    phase_heading(6)
    doc.h(3, _("People and access"))
    doc.table(
        [_("Name"), _("Role"), _("May publish to")],
        [
            (p.name, p.title, ", ".join(str(c) for c in p.publishes_to.all()))
            for p in selectors.people_list(workspace)
        ],
    )
    doc.h(3, _("Who does what"))
    doc.table(
        [_("Activity"), _("Responsible"), _("Accountable"), _("Consulted"), _("Informed")],
        [
            (
                r.activity,
                r.responsible.name if r.responsible else "",
                r.accountable.name if r.accountable else "",
                ", ".join(p.name for p in r.consulted.all()),
                ", ".join(p.name for p in r.informed.all()),
            )
            for r in selectors.responsibility_list(workspace)
        ],
    )
    doc.h(3, _("Social media policy"))
    doc.p(plan.social_media_policy) if plan.social_media_policy.strip() else doc.none_yet()
    doc.pairs([(_("Guidelines for employees"), plan.employee_guidelines)])
    doc.h(3, _("Playbook for negative comments and crises"))
    doc.pairs(
        [
            (_("May be hidden"), plan.playbook_hidable),
            (_("Criticism"), plan.playbook_criticism),
            (_("Never deleted"), _("Criticism is never deleted; it is answered.")),
            (
                _("Answer within"),
                _("%(hours)s hours") % {"hours": _num(plan.response_time_hours)}
                if plan.response_time_hours is not None
                else "",
            ),
        ]
    )
    doc.table(
        [_("Step"), _("When"), _("What we do"), _("Who"), _("Within")],
        [
            (
                str(s.order),
                s.situation,
                s.action,
                s.person.name if s.person else "",
                _("%(hours)s hours") % {"hours": _num(s.within_hours)}
                if s.within_hours is not None
                else "",
            )
            for s in selectors.escalation_list(workspace)
        ],
    )

    # Phase 7
    phase_heading(7)
    doc.pairs(
        [
            (_("How often"), str(plan.get_review_cadence_display()) if plan.review_cadence else ""),
            (_("What we look at"), plan.review_scope),
            (_("Who leads the review"), plan.review_owner.name if plan.review_owner else ""),
        ]
    )
    reviews = list(selectors.review_list(workspace))
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
    return doc


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


def diff_since_adopted(workspace: Workspace) -> list[str] | None:
    """Lines added (+) and removed (-) since the adopted version; None when none is adopted."""
    adopted = selectors.adopted_version(workspace)
    if adopted is None:
        return None
    now = plan_markdown(workspace=workspace).splitlines()
    then = adopted.markdown.splitlines()
    # Both copies start with the date they were written; that line is not a change to the plan.
    return [
        line
        for line in difflib.unified_diff(then[3:], now[3:], lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---")) and line[1:].strip()
    ]
