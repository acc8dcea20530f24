"""Inbox fixtures: a sandbox channel whose simulated people write, and items read through the
same path as the periodic read-back (``inbox_store_page``), so conversations form as in use."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from varde.channels.selectors import connector_for
from varde.connectors.contracts import Mention, MentionKind, Page
from varde.inbox.models import InboxItem
from varde.inbox.services import inbox_store_page
from varde.sandbox.services import sandbox_channel_create

NOW = datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
_ids = itertools.count(1)


@pytest.fixture
def sandbox(workspace, owner):
    return sandbox_channel_create(workspace=workspace, actor=owner, simulated_people=True)


@pytest.fixture
def connector(sandbox):
    return connector_for(sandbox)


def arrive(
    channel,
    *,
    text="Har dere åpent i dag?",
    handle="kari.sim",
    name="Kari",
    kind=MentionKind.COMMENT,
    in_reply_to="post-1",
    at=None,
    network_id=None,
    triage_class=None,
    sentiment=None,
):
    """One item read from ``channel``, stored as the read-back stores it; returns the row."""
    network_id = network_id or f"n-{next(_ids)}"
    mention = Mention(
        id=network_id,
        kind=kind,
        author_handle=handle,
        author_name=name,
        text=text,
        url="",
        created_at=at or NOW,
        in_reply_to=in_reply_to,
    )
    inbox_store_page(channel=channel, page=Page(items=(mention,), cursor=None), now=at or NOW)
    row = InboxItem.objects.get(channel=channel, network_id=network_id)
    if triage_class is not None or sentiment is not None:
        row.triage_class = triage_class
        row.sentiment = sentiment
        row.save(update_fields=["triage_class", "sentiment"])
    return row


def later(minutes: int) -> datetime:
    return NOW + timedelta(minutes=minutes)


@pytest.fixture(autouse=True)
def _english():
    """Services called outside a request speak the default language (bokmål in the test
    settings); these tests read their English messages."""
    from django.utils import translation

    with translation.override("en"):
        yield
