"""The Mastodon connector against mastodon-mock (PyPI), over real HTTP on 127.0.0.1.

mastodon-mock is a stateful FAKE of Mastodon's client API (FastAPI + SQLite), not Mastodon:
no registry offers a real Mastodon-compatible server that runs locally (see docs/e2e-tests.md).
These tests prove the connector's requests, parsing and pagination against an independent
implementation of the API; they cannot prove what only a real instance does (federation,
real media processing, rate limits, Mastodon's exact HTML).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.e2e.media import png
from varde.connectors.contracts import (
    Credentials,
    MediaItem,
    MentionKind,
    PublishRequest,
)
from varde.connectors.http import utc_now
from varde.connectors.mastodon.connector import MastodonConnector

if TYPE_CHECKING:
    from tests.e2e.conftest import MastodonMock

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e-mastodon")]

REDIRECT = "http://127.0.0.1:8000/channels/callback"


def _key() -> str:
    return uuid.uuid4().hex


@pytest.fixture(scope="module")
def connected(mastodon_mock: MastodonMock) -> MastodonConnector:
    """Connected the way a user connects: register the app, authorize, exchange the code."""
    registering = MastodonConnector(config={"instance": mastodon_mock.url})
    app = registering.register_app(redirect_uri=REDIRECT)
    connector = MastodonConnector(config={"instance": mastodon_mock.url, **app})
    authorize = connector.authorize_url(redirect_uri=REDIRECT, state="s1").url
    query = parse_qs(urlsplit(authorize).query)
    assert query["client_id"] == [app["client_id"]]
    # The mock's consent page is an account picker; choosing "varde" sends the browser back
    # to Varde's callback with the code and the state.
    consent = httpx.post(
        authorize.split("?")[0],
        data={
            "username": "varde",
            "client_id": app["client_id"],
            "redirect_uri": REDIRECT,
            "scope": query["scope"][0],
            "state": "s1",
        },
    )
    assert consent.status_code in {302, 303}, consent.text
    callback = urlsplit(consent.headers["location"])
    assert f"{callback.scheme}://{callback.netloc}{callback.path}" == REDIRECT
    returned = parse_qs(callback.query)
    assert returned["state"] == ["s1"]
    code = returned["code"][0]
    credentials = connector.exchange_code(code=code, redirect_uri=REDIRECT)
    assert credentials.extra["acct"] == "varde"
    return MastodonConnector(credentials=credentials, config=connector.config)


class Reader:
    """A second account on the instance, acting with plain HTTP calls."""

    def __init__(self, mock: MastodonMock) -> None:
        self.http = httpx.Client(
            base_url=mock.url, headers={"Authorization": f"Bearer {mock.tokens['reader']}"}
        )

    def post(self, text: str, **fields: Any) -> dict[str, Any]:
        answer = self.http.post("/api/v1/statuses", json={"status": text, **fields})
        answer.raise_for_status()
        return dict(answer.json())

    def act(self, status_id: str, action: str) -> None:
        self.http.post(f"/api/v1/statuses/{status_id}/{action}").raise_for_status()


@pytest.fixture(scope="module")
def reader(mastodon_mock: MastodonMock) -> Reader:
    return Reader(mastodon_mock)


def _status(mock: MastodonMock, status_id: str) -> httpx.Response:
    return httpx.get(f"{mock.url}/api/v1/statuses/{status_id}")


def test_connect_by_oauth_and_read_the_profile(connected: MastodonConnector):
    profile = connected.get_account()
    assert profile.handle == "varde"
    assert profile.network_id == connected.credentials.extra["account_id"]  # type: ignore[union-attr]
    # The mock announces its own limits; they replace the defaults.
    assert connected.effective_limits().text_max == 500


def test_publish_with_an_image_and_alt_text_then_a_thread(
    connected: MastodonConnector, mastodon_mock: MastodonMock
):
    request = PublishRequest(
        text="Blåbærsesongen er her! 🫐 #varde",
        idempotency_key=_key(),
        media=(MediaItem(mime_type="image/png", data=png(), alt_text="Blå firkant"),),
        thread=("Del to: plukk selv.", "Del tre: velkommen!"),
    )
    result = connected.publish(request)

    head = _status(mastodon_mock, result.network_post_id).json()
    assert "Blåbærsesongen er her!" in head["content"]
    assert [m["description"] for m in head["media_attachments"]] == ["Blå firkant"]
    assert len(result.thread_ids) == 2
    second = _status(mastodon_mock, result.thread_ids[0]).json()
    third = _status(mastodon_mock, result.thread_ids[1]).json()
    assert second["in_reply_to_id"] == result.network_post_id
    assert third["in_reply_to_id"] == result.thread_ids[0]
    assert "Del tre" in third["content"]


def test_the_idempotency_key_is_sent_on_every_status(
    connected: MastodonConnector, mastodon_mock: MastodonMock
):
    request = PublishRequest(text=f"Én gang, ikke to {_key()[:6]}", idempotency_key=_key())
    first = connected.publish(request)
    again = connected.publish(request)
    # Mastodon answers a repeated Idempotency-Key with the status it already created.
    assert again.network_post_id == first.network_post_id


def test_find_published_then_delete(connected: MastodonConnector, mastodon_mock: MastodonMock):
    since = utc_now()
    request = PublishRequest(text=f"Finn meg igjen {_key()[:8]} æøå", idempotency_key=_key())
    result = connected.publish(request)

    found = connected.find_published(request, since=since)
    assert found is not None
    assert found.network_post_id == result.network_post_id
    other = PublishRequest(text="Aldri publisert", idempotency_key=_key())
    assert connected.find_published(other, since=since) is None

    connected.delete(result.network_post_id)
    assert _status(mastodon_mock, result.network_post_id).status_code == 404
    assert connected.find_published(request, since=since) is None
    connected.delete(result.network_post_id)  # already gone counts as done


def test_mentions_since_a_cursor_metrics_and_a_reply(
    connected: MastodonConnector, reader: Reader, mastodon_mock: MastodonMock
):
    post = connected.publish(PublishRequest(text="Hva synes dere?", idempotency_key=_key()))
    cursor = connected.fetch_mentions(cursor=None).cursor

    answer = reader.post("@varde Kjempebra! 👍", in_reply_to_id=post.network_post_id)
    reader.act(post.network_post_id, "favourite")
    reader.act(post.network_post_id, "reblog")
    secret = reader.post("@varde Psst, en hemmelighet", visibility="direct")

    page = connected.fetch_mentions(cursor=cursor)
    by_id = {mention.id: mention for mention in page.items}
    assert set(by_id) == {str(answer["id"]), str(secret["id"])}
    comment = by_id[str(answer["id"])]
    assert comment.kind == MentionKind.COMMENT
    assert comment.in_reply_to == post.network_post_id
    assert comment.author_handle == "reader"
    assert "Kjempebra!" in comment.text
    assert by_id[str(secret["id"])].kind == MentionKind.DM
    assert connected.fetch_mentions(cursor=page.cursor).items == ()

    [metrics] = connected.fetch_metrics([post.network_post_id])
    assert (metrics.likes, metrics.reposts, metrics.replies) == (1, 1, 1)

    reply = connected.reply(to=comment.id, text="Takk!", idempotency_key=_key())
    sent = _status(mastodon_mock, reply.network_post_id).json()
    assert sent["in_reply_to_id"] == comment.id
    assert "@reader" in sent["content"] or any(
        m["acct"] == "reader" for m in sent.get("mentions", [])
    )
    assert sent["visibility"] == "public"
    private = connected.reply(to=str(secret["id"]), text="Mottatt.", idempotency_key=_key())
    # A reply to a direct message stays direct.
    assert _status_as(mastodon_mock, private.network_post_id)["visibility"] == "direct"


def _status_as(mock: MastodonMock, status_id: str) -> dict[str, Any]:
    answer = httpx.get(
        f"{mock.url}/api/v1/statuses/{status_id}",
        headers={"Authorization": f"Bearer {mock.tokens['varde']}"},
    )
    answer.raise_for_status()
    return dict(answer.json())


def test_a_wrong_token_is_an_expired_login(mastodon_mock: MastodonMock):
    from varde.connectors.errors import AuthExpired

    stranger = MastodonConnector(
        credentials=Credentials(access_token="not-a-token"),
        config={"instance": mastodon_mock.url},
    )
    with pytest.raises(AuthExpired):
        stranger.get_account()
