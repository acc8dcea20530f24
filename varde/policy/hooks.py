"""Where higher apps take part in the policy guard (see ``varde.lib.hooks`` for why hooks).

The guard sits below listening in the layers, so it asks and listening answers; the receiver
registers in ``ListeningConfig.ready`` (``varde/listening/policy_reactions.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from varde.lib.hooks import Hook

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.policy.findings import HashtagContext

# What listening's stored mentions say about a hashtag (normalised, without "#") in this
# workspace right now: volume in a recent window, the usual volume, a few sample posts. None
# from a receiver that knows nothing; no network calls (the composer asks while people type).
hashtag_activity: Hook[[Workspace, str], HashtagContext | None] = Hook("hashtag_activity")
