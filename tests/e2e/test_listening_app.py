"""Listening end to end on the local Bluesky network (issue 12, item 12): a post written on the
PDS that mentions a query's brand term is read by the app's own source reading (the service
the worker task calls, and the task itself), stored once with its language, and reading again
adds nothing. (The feed with conditional GET is in ``varde/listening/tests/test_local_feed.py``:
it needs no peer.)"""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING, Any

import pytest

from tests.e2e.bluesky_accounts import Account
from varde.accounts.tests.factories import WorkspaceFactory
from varde.listening import pipeline, selectors, services, tasks
from varde.listening.models import Mention, Source

if TYPE_CHECKING:
    from tests.e2e.conftest import BlueskyNetwork

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("e2e-bluesky"),
    pytest.mark.django_db(transaction=True),
]


def test_a_post_mentioning_the_brand_appears_in_the_mention_stream_once(
    bluesky_network: BlueskyNetwork, settings: Any
) -> None:
    settings.VARDE_ALLOW_PRIVATE_URLS = True
    pipeline.forget_matchers()
    brand = f"Fjellvarde{uuid.uuid4().hex[:6]}"
    workspace = WorkspaceFactory(name=brand)
    services.query_create(workspace=workspace, name="Brand", text=brand, kind="brand")
    source = services.source_create(
        workspace=workspace, kind="bluesky_firehose", url=bluesky_network.pds_url
    )
    # From the start of the PDS's history, as a source added with "read from the beginning".
    Source.objects.filter(pk=source.pk).update(cursor="0")

    writer = Account.sign_up(bluesky_network, "brandfan")
    text = f"Vi var på tur med {brand} i helga, og kaffen på toppen var strålende!"
    post = writer.write("app.bsky.feed.post", {"text": text, "langs": ["nb"]})
    writer.write("app.bsky.feed.post", {"text": "Ingenting om merket her.", "langs": ["nb"]})

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        outcome = services.source_read(source_id=source.pk, budget_s=3.0)
        assert outcome is not None
        assert outcome.ok, outcome
        if Mention.objects.filter(workspace=workspace).exists():
            break
    mention = Mention.objects.get(workspace=workspace)
    assert (mention.external_id, mention.text, mention.language) == (post["uri"], text, "no")
    assert mention.source_kind == "bluesky_firehose"
    assert mention.author_handle == writer.did

    # Read again, by the service and by the worker's task: still one.
    services.source_read(source_id=source.pk, budget_s=3.0)
    tasks.listening_read_source.call_local(source.pk)
    assert Mention.objects.filter(workspace=workspace).count() == 1
    source.refresh_from_db()
    assert (source.error_code, source.last_error) == ("", "")
    assert int(source.cursor) > 0

    # In the stream the page shows, with the query that matched it.
    stream = selectors.mentions_filtered(
        workspace=workspace, wanted=selectors.MentionFilter(search=brand)
    )
    assert [m.pk for m in stream] == [mention.pk]
    matched = selectors.matched_queries(workspace=workspace, mention_ids=[mention.pk])
    assert [m.name for m in matched[mention.pk]] == ["Brand"]
