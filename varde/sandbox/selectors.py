"""Reading what the sandbox network received."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet

from varde.channels import selectors as channel_selectors
from varde.sandbox.models import SandboxFault, SandboxIncoming, SandboxPost

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.channels.models import ConnectedAccount


@dataclass(frozen=True)
class SandboxTally:
    received: int
    distinct_keys: int

    @property
    def duplicates(self) -> int:
        return self.received - self.distinct_keys


def sandbox_accounts_of(*, workspace: Workspace) -> dict[str, ConnectedAccount]:
    channels = channel_selectors.channels_in(workspace=workspace).filter(connector_key="sandbox")
    return {str(channel.config.get("account", "")): channel for channel in channels}


def sandbox_posts_of(*, workspace: Workspace) -> QuerySet[SandboxPost]:
    return SandboxPost.objects.filter(account__in=list(sandbox_accounts_of(workspace=workspace)))


def sandbox_faults_of(*, workspace: Workspace) -> QuerySet[SandboxFault]:
    accounts = ["", *sandbox_accounts_of(workspace=workspace)]
    return SandboxFault.objects.filter(account__in=accounts)


def sandbox_tally(posts: QuerySet[SandboxPost] | None = None) -> SandboxTally:
    """How many posts arrived, and how many different deliveries they came from."""
    posts = SandboxPost.objects.all() if posts is None else posts
    received = posts.count()
    distinct = posts.values("idempotency_key").distinct().count()
    return SandboxTally(received=received, distinct_keys=distinct)


def sandbox_duplicate_keys(posts: QuerySet[SandboxPost] | None = None) -> list[str]:
    posts = SandboxPost.objects.all() if posts is None else posts
    return list(
        posts.values("idempotency_key")
        .annotate(copies=Count("id"))
        .filter(copies__gt=1)
        .values_list("idempotency_key", flat=True)
    )


def sandbox_incoming_count(*, account: str) -> int:
    """How many things the simulated people have sent to this sandbox account."""
    return SandboxIncoming.objects.filter(account=account).count()


def sandbox_personas(*, network_ids: list[str]) -> dict[str, str]:
    """The labelled kind (question, complaint, …) of simulated items, by network id — shown
    beside sandbox data so nobody takes it for a real person."""
    return dict(
        SandboxIncoming.objects.filter(network_id__in=network_ids).values_list(
            "network_id", "persona"
        )
    )
