"""What listening tells the apps above it (``varde.lib.hooks`` says why hooks).

The inbox sits above listening in the layers, so listening cannot call it; it calls this hook
and the inbox registers its reaction in its ``AppConfig.ready``
(``varde/inbox/listening_reactions.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from varde.lib.hooks import Hook

if TYPE_CHECKING:
    from varde.accounts.models import Workspace

# (workspace, the alert's id) → how many conversations the receiver escalated. Called when a
# "more negative mentions" alert is raised, in the transaction that stores it.
negative_alert_raised: Hook[[Workspace, int], int] = Hook("negative_alert_raised")
