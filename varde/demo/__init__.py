"""The demo: a bicycle shop in Bergen, created idempotently by `varde demo` and `varde run`.

The one home of the demo seed, above every app in the layers (``[tool.importlinter]``): one
module per area, each filling its part through that app's selectors and services, so the demo
never shows data that an app could not have produced. ``demo_create`` is the one entry point.

- ``team``: the owner (the demo login), the team and the second workspace
- ``plan`` (with ``plan_data``): the strategy plan
- ``posts``: a sandbox channel and a few weeks of posts, sent by the real engine
- ``listening``: queries from the plan and a sandbox source of made-up mentions
- ``analytics``: 90 days of sandbox numbers
- ``inbox``: simulated people answering, saved replies, a signature and a moderation rule
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from varde.demo.analytics import demo_analytics_seed
from varde.demo.inbox import demo_inbox_seed
from varde.demo.listening import demo_listening_seed
from varde.demo.plan import demo_plan_seed
from varde.demo.posts import demo_posts_seed
from varde.demo.team import DEMO_EMAIL, DEMO_SLUG, demo_login_lines, demo_team_seed, login_line

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace

__all__ = ["DEMO_EMAIL", "DEMO_SLUG", "DemoResult", "demo_create", "demo_login_lines"]

# In order: later areas build on earlier ones (the posts and the inbox on the plan's people, the
# listening queries on the plan, the inbox on the sandbox channel the posts made). Each is called
# with workspace=, actor= (the demo owner) and users= (plan person key -> User), and is
# idempotent.
AREAS: tuple[tuple[str, Callable[..., Any]], ...] = (
    ("plan", demo_plan_seed),
    ("posts", demo_posts_seed),
    ("listening", demo_listening_seed),
    ("analytics", demo_analytics_seed),
    ("inbox", demo_inbox_seed),
)


@dataclass(frozen=True)
class DemoResult:
    workspace: Workspace
    email: str
    password: str | None

    def summary(self) -> str:
        lines = [f"Demo workspace: {self.workspace.name} (/w/{self.workspace.slug}/)"]
        lines.append(login_line(self.email, self.password))
        return "\n".join(lines)


def demo_create() -> DemoResult:
    workspace, password, people = demo_team_seed()
    owner: User = people["ingrid"]
    users: Mapping[str, User] = people
    for _name, seed in AREAS:
        seed(workspace=workspace, actor=owner, users=users)
    return DemoResult(workspace=workspace, email=DEMO_EMAIL, password=password)
