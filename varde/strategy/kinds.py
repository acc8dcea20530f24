"""The list-shaped parts of the plan, by the short name used in URLs, services and the audit log."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from varde.strategy import models as m


@dataclass(frozen=True)
class Kind:
    key: str
    model: type[models.Model]
    phase: int
    section: str
    label: str | Promise


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind("channel", m.PlanChannel, 1, "channels", _("channel")),
        # The same channels, seen from phase 4: their role and publishing plan.
        Kind("channel-plan", m.PlanChannel, 4, "schedule", _("publishing plan")),
        Kind("competitor", m.Competitor, 1, "competitors", _("competitor")),
        Kind("business-goal", m.BusinessGoal, 2, "business-goals", _("business goal")),
        Kind("goal", m.SocialGoal, 2, "social-goals", _("social media goal")),
        Kind("audience", m.Audience, 3, "audiences", _("audience")),
        Kind("pillar", m.ContentPillar, 4, "pillars", _("content pillar")),
        Kind("message", m.KeyMessage, 5, "messages", _("key message")),
        Kind("hashtag", m.HashtagRule, 5, "hashtags", _("hashtag")),
        Kind("term", m.TermRule, 5, "terms", _("banned or risky term")),
        Kind("person", m.PlanPerson, 6, "team", _("person")),
        Kind("responsibility", m.Responsibility, 6, "raci", _("responsibility")),
        Kind("escalation", m.EscalationStep, 6, "playbook", _("escalation step")),
        Kind("review", m.Review, 7, "reviews", _("review")),
    )
}
