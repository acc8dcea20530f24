"""Listening's answer to the policy guard: what a new hashtag is about right now.

The guard (``varde.policy``) sits below listening in the layers and cannot import it; it asks
through ``policy.hooks.hashtag_activity``, and this receiver answers from stored mentions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from varde.listening import selectors
from varde.policy import hooks

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.policy.findings import HashtagContext


def hashtag_activity(workspace: Workspace, tag: str) -> HashtagContext:
    return selectors.hashtag_activity(workspace=workspace, tag=tag)


def register() -> None:
    hooks.hashtag_activity.register(hashtag_activity)
