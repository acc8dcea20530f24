"""Where higher apps take part in publishing (see ``varde.lib.hooks`` for why hooks).

Publishing sits below the policy guard, analytics and the inbox in the layers, so it asks and they
answer. Receivers register in their ``AppConfig.ready``:

- the policy guard refuses a schedule it would block, and stops a delivery at send time;
- analytics and the inbox add what they read back to the post's status page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from varde.lib.hooks import Hook

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.content.models import Post
    from varde.publishing.models import Delivery

# Before a post is scheduled on these channels (by id): a receiver raises ValidationError, in the
# user's language, when the post may not be scheduled.
schedule_refusal: Hook[[Post, list[int]], None] = Hook("schedule_refusal")

# At send time, for a claimed delivery and its channel text (None without one): the sentences
# that stop it now, in the active language; an empty list when nothing does. The engine fails
# closed when a receiver raises.
send_refusals: Hook[[Delivery, str | None], list[str]] = Hook("send_refusals")

# For the published deliveries among these ids: a name for the template (``"metrics"``,
# ``"replies"``) and what was read back for each delivery id.
read_back_of_deliveries: Hook[[Workspace, list[int]], tuple[str, dict[int, Any]]] = Hook(
    "read_back_of_deliveries"
)
