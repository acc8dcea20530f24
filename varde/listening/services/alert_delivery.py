"""How a new listening alert is told: the bell, e-mail and the workspace's signed webhook, all
through the one notification path (``varde.notifications.notify`` with the kind
``listening.alert``), and, for a negative alert, the strategy's crisis playbook.

A **negative** alert is a sentiment dip, or a volume spike in which at least half of the judged
mentions are negative (``why["negative_share"]``). It links to the playbook (strategy phase 6,
"Playbook for negative comments and crises") and names the people its escalation steps say to
involve; those of them who have a Varde login and are members are told too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from varde.accounts import selectors as account_selectors
from varde.accounts.permissions import Perm, role_can
from varde.lib.localformat import LocalNumber
from varde.listening.choices import AlertKind
from varde.listening.models import Alert, Mention
from varde.notifications.services import Message, notify
from varde.strategy import selectors as strategy_selectors

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace

NOTIFICATION_KIND = "listening.alert"
NEGATIVE_SHARE = 0.5  # a spike this negative (among judged mentions) is a negative spike
PLAYBOOK_PHASE = 6


@dataclass(frozen=True)
class Involved:
    """Someone the playbook says to involve, with the steps that name them."""

    name: str
    title: str
    user_id: int | None
    steps: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.name} ({self.title})" if self.title else self.name


@dataclass(frozen=True)
class Crisis:
    playbook_url: str  # a path in Varde; the e-mail and the webhook get it absolute
    people: tuple[Involved, ...]
    steps: tuple[dict[str, Any], ...]


def is_negative(alert: Alert) -> bool:
    if alert.kind == AlertKind.NEGATIVE:
        return True
    share = alert.why.get("negative_share")
    return isinstance(share, (int, float)) and share >= NEGATIVE_SHARE


def crisis_for(workspace: Workspace) -> Crisis:
    """The playbook's page and who its escalation steps involve, in the steps' order."""
    playbook = strategy_selectors.playbook_for(workspace)
    people: dict[int, Involved] = {}
    for step in playbook.steps:
        person = step.person
        if person is None:
            continue
        known = people.get(person.id)
        steps = (*known.steps, step.situation) if known else (step.situation,)
        people[person.id] = Involved(person.name, person.title, person.user_id, steps)
    url = reverse("strategy:phase", kwargs={"workspace": workspace.slug, "number": PLAYBOOK_PHASE})
    return Crisis(
        playbook_url=f"{url}#playbook",
        people=tuple(people.values()),
        steps=tuple(
            {
                "order": s.order,
                "situation": s.situation,
                "action": s.action,
                "person": s.person.name if s.person else None,
                "within_hours": float(s.within_hours) if s.within_hours is not None else None,
            }
            for s in playbook.steps
        ),
    )


def _posts(alert: Alert) -> list[dict[str, Any]]:
    ids = alert.why.get("mentions", [])
    found = {m.pk: m for m in Mention.objects.filter(workspace_id=alert.workspace_id, pk__in=ids)}
    return [
        {
            "id": m.pk,
            "text": m.text,
            "url": m.url if m.url.startswith(("https://", "http://")) else "",
            "author": m.author_handle or m.author_name,
            "source": m.source_kind,
            "published_at": m.published_at.isoformat(),
            "sentiment": m.sentiment,
        }
        for i in ids
        if (m := found.get(i)) is not None
    ]


def alert_data(alert: Alert, crisis: Crisis | None, page: str) -> dict[str, Any]:
    """The webhook's ``data``: the alert, its why, and for a negative one the playbook."""
    base = settings.BASE_URL
    return {
        "alert": {
            "id": alert.pk,
            "kind": alert.kind,
            "negative": crisis is not None,
            "query": {"id": alert.query_id, "name": alert.query.name},
            "window_start": alert.window_start.isoformat(),
            "window_end": alert.window_end.isoformat(),
            "observed": alert.observed,
            "baseline": alert.baseline,
            "threshold": alert.threshold,
            "url": f"{base}{page}#alert-{alert.pk}",
        },
        "why": {
            "terms": alert.why.get("terms", []),
            "authors": alert.why.get("authors", []),
            "negative_share": alert.why.get("negative_share"),
            "posts": _posts(alert),
        },
        "crisis": None
        if crisis is None
        else {
            "playbook_url": base + crisis.playbook_url,
            "involve": [
                {"name": p.name, "title": p.title, "steps": list(p.steps)} for p in crisis.people
            ],
            "steps": list(crisis.steps),
        },
    }


def _messages(alert: Alert, crisis: Crisis | None) -> tuple[Message, Message]:
    spike = alert.kind == AlertKind.SPIKE
    terms = ", ".join(str(term) for term, _n in alert.why.get("terms", [])[:5])
    values: dict[str, object] = {
        "query": alert.query.name,
        "observed": f"{alert.observed:.0f}" if spike else f"{alert.observed:.0%}",
        # Written when the message is rendered, in each recipient's language ("2,5").
        "baseline": LocalNumber(alert.baseline, 1) if spike else f"{alert.baseline:.0%}",
        "terms": terms or "–",
    }
    if spike:
        subject = Message(_("Volume spike: %(query)s"), values)
        body = _(
            "Volume spike for %(query)s: %(observed)s mentions in the last hour "
            "(usually %(baseline)s an hour). Words many of them use: %(terms)s."
        )
    else:
        subject = Message(_("More negative mentions: %(query)s"), values)
        body = _(
            "More negative mentions of %(query)s: %(observed)s of the last day's "
            "mentions are negative (usually %(baseline)s). Words many of them use: "
            "%(terms)s."
        )
    if crisis is None:
        return subject, Message(body, values)
    values["playbook"] = settings.BASE_URL + crisis.playbook_url
    values["people"] = "; ".join(p.label for p in crisis.people)
    crisis_text = (
        _(
            "This is negative: follow the crisis playbook (%(playbook)s). "
            "The playbook says to involve: %(people)s."
        )
        if crisis.people
        else _(
            "This is negative: follow the crisis playbook (%(playbook)s). "
            "The playbook names nobody to involve yet: add escalation steps with a person."
        )
    )
    # Both parts stay lazy: each recipient reads them in their own language.
    return subject, Message(format_lazy("{}\n\n{}", body, crisis_text), values)


def _recipients(workspace: Workspace, crisis: Crisis | None) -> list[User]:
    roles = account_selectors.member_roles(workspace=workspace)
    members = account_selectors.member_users(workspace=workspace)
    involved = {p.user_id for p in crisis.people if p.user_id} if crisis else set()
    return [
        user
        for user in members
        if role_can(roles.get(user.pk, ""), Perm.LISTENING_EDIT) or user.pk in involved
    ]


def alerts_deliver(*, workspace: Workspace, found: list[Alert]) -> None:
    """Tell the members who may edit queries (and, for a negative alert, the people the
    playbook involves) in the app and by e-mail, and the workspace's webhook."""
    page = reverse("listening:alerts", kwargs={"workspace": workspace.slug})
    crisis_now = crisis_for(workspace) if any(is_negative(a) for a in found) else None
    for alert in found:
        crisis = crisis_now if is_negative(alert) else None
        subject, text = _messages(alert, crisis)
        notify(
            users=_recipients(workspace, crisis),
            workspace=workspace,
            kind=NOTIFICATION_KIND,
            subject=subject,
            text=text,
            url=f"{page}#alert-{alert.pk}",
            data=alert_data(alert, crisis, page),
        )
