"""The demo's listening: the brand and competitor queries from the plan, and a sandbox source
read once, which fills a few days of made-up mentions (labelled as sandbox data). Idempotent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from varde.listening import selectors as listening_selectors
from varde.listening import services as listening_services
from varde.listening.sources import sandbox

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace


def demo_listening_seed(
    *, workspace: Workspace, actor: User | None = None, users: Mapping[str, User] | None = None
) -> None:
    listening_services.queries_create_from_plan(workspace=workspace, actor=actor)
    source = listening_selectors.source_list(workspace=workspace).filter(kind=sandbox.KIND).first()
    if source is None:
        source = listening_services.source_create(
            workspace=workspace,
            kind=sandbox.KIND,
            name=_("Sandbox: made-up posts"),
            config={"per_hour": "12", "backfill_hours": "72"},
            actor=actor,
        )
    listening_services.source_read(source_id=source.pk)
