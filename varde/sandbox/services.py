"""Setting up sandbox channels and the faults the sandbox network fakes."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import transaction

from varde.channels import services as channel_services
from varde.connectors.contracts import Credentials
from varde.sandbox.models import SandboxFault

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
