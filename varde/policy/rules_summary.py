"""The rules the guard applies, gathered for the "Publishing rules" page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from varde.policy import selectors
from varde.policy.checks import DISCLOSURE_WORDS
from varde.strategy import selectors as strategy_selectors

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.policy.models import GuardSettings
    from varde.strategy.selectors import ChannelPlan, HashtagPolicy, TermPolicy


@dataclass(frozen=True)
class RulesSummary:
    banned: list[TermPolicy]
    risky: list[TermPolicy]
    hashtags: HashtagPolicy
    disclosure_words: list[str]
    settings: GuardSettings
    channels: list[ChannelPlan]
    social_media_policy: str


def summarise(workspace: Workspace) -> RulesSummary:
    terms = strategy_selectors.banned_terms_for(workspace)
    settings = selectors.guard_settings_for(workspace)
    return RulesSummary(
        banned=[t for t in terms if t.blocks],
        risky=[t for t in terms if not t.blocks],
        hashtags=strategy_selectors.hashtags_for(workspace),
        disclosure_words=[*DISCLOSURE_WORDS, *settings.extra_disclosure_list],
        settings=settings,
        channels=strategy_selectors.publishing_plan_for(workspace),
        social_media_policy=strategy_selectors.plan_or_default(workspace).social_media_policy,
    )
