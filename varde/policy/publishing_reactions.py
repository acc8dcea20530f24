"""The policy guard's part in publishing, registered on ``varde.publishing.hooks``: publishing
sits below the guard and asks it through those hooks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from varde.policy.guard import guard_check_send, guard_refuse_blocked
from varde.publishing import hooks

if TYPE_CHECKING:
    from varde.content.models import Post
    from varde.publishing.models import Delivery


def refuse_blocked_schedule(post: Post, channel_ids: list[int]) -> None:
    guard_refuse_blocked(post=post, channel_ids=channel_ids)


def blocking_problems_at_send(delivery: Delivery, variant_text: str | None) -> list[str]:
    report = guard_check_send(
        post=delivery.post,
        workspace=delivery.workspace,
        channel=delivery.channel,
        variant_text=variant_text,
    )
    return [finding.message for finding in report.blocking()] if report.blocks else []


def register() -> None:
    hooks.schedule_refusal.register(refuse_blocked_schedule)
    hooks.send_refusals.register(blocking_problems_at_send)
