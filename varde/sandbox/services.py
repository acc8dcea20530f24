"""Setting up sandbox channels and the faults the sandbox network fakes."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction

from varde.channels import services as channel_services
from varde.connectors.contracts import Credentials
from varde.sandbox.choices import PersonaKind
from varde.sandbox.models import SandboxFault, SandboxIncoming, SandboxPost
from varde.sandbox.people import FOLLOW, LINES, PEOPLE, Line, Person

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace
    from varde.channels.models import ConnectedAccount
    from varde.sandbox.choices import FaultKind


@transaction.atomic
def sandbox_channel_create(
    *,
    workspace: Workspace,
    label: str = "Sandbox",
    actor: User | None = None,
    stands_in_for: str = "",
    simulated_people: bool = False,
) -> ConnectedAccount:
    """Connect a new sandbox account; its name is unique so its posts can be told apart.

    ``stands_in_for`` names a network of the publishing plan ("facebook"): the calendar's
    slots and meters, the composer's next free slot and the policy guard then treat the
    sandbox as that channel of the plan (``channels.selectors.plan_network_of``).
    """
    account = f"sandbox-{uuid.uuid4().hex[:10]}"
    config = {"account": account, "workspace": workspace.slug}
    if stands_in_for:
        config["plan_network"] = stands_in_for
    if simulated_people:
        # Made-up people answer its posts (``varde.sandbox.people``), labelled as sandbox data.
        config["simulated_people"] = "1"
    return channel_services.channel_connect(
        workspace=workspace,
        connector_key="sandbox",
        label=label,
        handle=account,
        credentials=Credentials(access_token=f"sandbox-{uuid.uuid4().hex}"),
        config=config,
        actor=actor,
    )


def sandbox_fault_add(
    *,
    kind: FaultKind,
    probability: float = 1.0,
    account: str = "",
    remaining: int | None = None,
    latency_ms: int = 0,
    retry_after_s: float = 1.0,
    message: str = "",
) -> SandboxFault:
    return SandboxFault.objects.create(
        kind=kind,
        probability=probability,
        account=account,
        remaining=remaining,
        latency_ms=latency_ms,
        retry_after_s=retry_after_s,
        message=message,
    )


def sandbox_faults_clear(*, account: str | None = None) -> int:
    faults = SandboxFault.objects.all()
    if account is not None:
        faults = faults.filter(account=account)
    deleted, _by_model = faults.delete()
    return deleted


def sandbox_people_answer(
    *,
    account: str,
    now: datetime,
    replies: int = 3,
    mentions: int = 1,
    messages: int = 1,
    follows: int = 1,
    spread_s: int = 0,
    seed: int | None = None,
) -> list[SandboxIncoming]:
    """Simulated people answer the account's newest post, mention it, write to it privately
    and follow it. ``spread_s`` spreads their arrival over that many seconds from ``now``."""
    chooser = random.Random(seed)  # noqa: S311 - picks made-up lines; nothing secret
    newest = (
        SandboxPost.objects.filter(account=account, deleted_at__isnull=True, in_reply_to="")
        .exclude(private_to__gt="")
        .order_by("-received_at", "-id")
        .first()
    )
    plan: list[tuple[str, Line]] = []
    if newest is not None:
        plan += [("comment", chooser.choice(LINES)) for _ in range(replies)]
    plan += [("mention", chooser.choice(LINES)) for _ in range(mentions)]
    plan += [("dm", chooser.choice(LINES)) for _ in range(messages)]
    plan += [("follow", FOLLOW) for _ in range(follows)]
    rows = []
    for index, (kind, line) in enumerate(plan):
        person = chooser.choice(PEOPLE)
        delay = (spread_s * (index + 1)) // (len(plan) + 1) if spread_s else 0
        rows.append(
            SandboxIncoming(
                account=account,
                network_id=f"sim-{uuid.uuid4().hex[:16]}",
                kind=kind,
                persona=line.persona,
                author_handle=person.handle,
                author_name=person.name,
                text=line.text,
                language=line.language,
                in_reply_to=newest.network_post_id if kind == "comment" and newest else "",
                arrives_at=now + timedelta(seconds=delay),
            )
        )
    return SandboxIncoming.objects.bulk_create(rows)


def sandbox_person_writes_back(
    *, account: str, to_post: str, handle: str, text: str, now: datetime
) -> SandboxIncoming:
    """A simulated person answers one of the account's replies (tests and the demo)."""
    person = next((p for p in PEOPLE if p.handle == handle), Person(handle, handle))
    return SandboxIncoming.objects.create(
        account=account,
        network_id=f"sim-{uuid.uuid4().hex[:16]}",
        kind="comment",
        persona=PersonaKind.QUESTION,
        author_handle=person.handle,
        author_name=person.name,
        text=text,
        in_reply_to=to_post,
        arrives_at=now,
    )
