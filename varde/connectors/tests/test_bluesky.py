"""Bluesky specifics: facets by UTF-8 bytes, thread reply refs, sessions, notifications."""

from datetime import UTC, datetime

import pytest

from varde.connectors.bluesky.connector import BlueskyConnector
from varde.connectors.bluesky.richtext import detect_facets
from varde.connectors.bluesky.xrpc import jwt_expiry, split_at_uri
from varde.connectors.contracts import Credentials, MediaItem, MentionKind, PublishRequest
from varde.connectors.errors import AuthExpired, Rejected
from varde.connectors.tests.conftest import FakeNetwork, load, reply
from varde.connectors.tests.test_contract import BSKY_DID, PNG

XRPC = "/xrpc/"
CREATE = XRPC + "com.atproto.repo.createRecord"
HEAD_URI = f"at://{BSKY_DID}/app.bsky.feed.post/3l6oveex3ii2l"
HEAD_CID = "bafyreiaxjd6g5cvcgzzwdllvdopqlxuagrxrlhzvpwbngjwbf4zlodwoxq"


def _connector(fake: FakeNetwork) -> BlueskyConnector:
    creds = Credentials(
        access_token="access-jwt",
        refresh_token="refresh-jwt",
        extra={"did": BSKY_DID, "handle": "varde.bsky.social"},
    )
    return BlueskyConnector(credentials=creds, client=fake.client())


def _slice(text: str, facet: dict) -> str:
    data = text.encode("utf-8")
    return data[facet["index"]["byteStart"] : facet["index"]["byteEnd"]].decode("utf-8")


def test_facets_use_utf8_byte_offsets_with_norwegian_text_and_emoji() -> None:
    text = (
        "Blåbærsyltetøy 🫐 på https://varde.example/blåbær, "
        "hilsen @kari.bsky.social #Sommerfest2025."
    )
    facets = detect_facets(
        text, lambda handle: "did:plc:kari" if handle == "kari.bsky.social" else None
    )
    kinds = [facet["features"][0]["$type"].split("#")[1] for facet in facets]
    assert kinds == ["link", "mention", "tag"]
    link, mention, tag = facets
    # Character offsets would be wrong here: æ, ø, å and the emoji take more than one byte.
    assert link["index"]["byteStart"] == len("Blåbærsyltetøy 🫐 på ".encode())
    assert _slice(text, link) == "https://varde.example/blåbær"
    assert link["features"][0]["uri"] == "https://varde.example/blåbær"
    assert _slice(text, mention) == "@kari.bsky.social"
    assert mention["features"][0]["did"] == "did:plc:kari"
    assert _slice(text, tag) == "#Sommerfest2025"
    assert tag["features"][0]["tag"] == "Sommerfest2025"


def test_unresolvable_mentions_and_number_tags_stay_plain_text() -> None:
    assert detect_facets("Hei @finnes.ikke og #2025", lambda _: None) == []


def test_hash_inside_a_link_is_not_a_tag() -> None:
    facets = detect_facets("Se https://varde.example/#priser", lambda _: None)
    assert [f["features"][0]["$type"] for f in facets] == ["app.bsky.richtext.facet#link"]


def test_publish_sends_record_with_facets_and_language(fake: FakeNetwork) -> None:
    fake.on("POST", CREATE, reply(200, load("bluesky", "createRecord")))
    fake.on(
        "GET",
        XRPC + "com.atproto.identity.resolveHandle",
        reply(200, load("bluesky", "resolveHandle")),
    )
    request = PublishRequest(
        text="Hei @kari.bsky.social, se #varde",
        link="https://varde.example",
        idempotency_key="k",
        language="nb",
    )
    result = _connector(fake).publish(request)
    sent = fake.json_sent("POST", CREATE)
    assert sent["repo"] == BSKY_DID
    assert sent["collection"] == "app.bsky.feed.post"
    record = sent["record"]
    assert record["text"] == "Hei @kari.bsky.social, se #varde\n\nhttps://varde.example"
    assert record["langs"] == ["nb"]
    assert record["createdAt"].endswith("Z")
    assert len(record["facets"]) == 3
    assert fake.calls("POST", CREATE)[0].headers["Authorization"] == "Bearer access-jwt"
    assert result.url == "https://bsky.app/profile/varde.bsky.social/post/3l6oveex3ii2l"


def test_thread_replies_point_at_root_and_previous_post(fake: FakeNetwork) -> None:
    answers = [
        reply(200, {"uri": f"at://{BSKY_DID}/app.bsky.feed.post/{rkey}", "cid": f"cid-{rkey}"})
        for rkey in ("head", "two", "three", "comment")
    ]
    fake.on("POST", CREATE, *answers)
    request = PublishRequest(
        text="Del 1",
        thread=("Del 2", "Del 3"),
        first_comment="Lenke i kommentar",
        idempotency_key="k",
    )
    result = _connector(fake).publish(request)
    records = [fake.json_sent("POST", CREATE, i)["record"] for i in range(4)]
    head = {"uri": f"at://{BSKY_DID}/app.bsky.feed.post/head", "cid": "cid-head"}
    two = {"uri": f"at://{BSKY_DID}/app.bsky.feed.post/two", "cid": "cid-two"}
    assert "reply" not in records[0]
    assert records[1]["reply"] == {"root": head, "parent": head}
    assert records[2]["reply"] == {"root": head, "parent": two}
    assert records[3]["reply"] == {"root": head, "parent": head}
    assert result.thread_ids == (two["uri"], f"at://{BSKY_DID}/app.bsky.feed.post/three")
    assert result.first_comment_id == f"at://{BSKY_DID}/app.bsky.feed.post/comment"


def test_reply_to_a_reply_keeps_the_thread_root(fake: FakeNetwork) -> None:
    fake.on("GET", XRPC + "app.bsky.feed.getPosts", reply(200, load("bluesky", "getPosts_reply")))
    fake.on("POST", CREATE, reply(200, load("bluesky", "createRecord")))
    parent_uri = "at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3l6pqxyzab22c"
    _connector(fake).reply(to=parent_uri, text="Takk!", idempotency_key="r-1")
    record = fake.json_sent("POST", CREATE)["record"]
    assert record["reply"]["parent"] == {"uri": parent_uri, "cid": "bafyreiparentcid"}
    assert record["reply"]["root"]["uri"] == f"at://{BSKY_DID}/app.bsky.feed.post/3l6oroot0000a"


def test_images_are_uploaded_with_alt_text(fake: FakeNetwork) -> None:
    fake.on("POST", XRPC + "com.atproto.repo.uploadBlob", reply(200, load("bluesky", "uploadBlob")))
    fake.on("POST", CREATE, reply(200, load("bluesky", "createRecord")))
    item = MediaItem(mime_type="image/png", data=PNG, alt_text="Bål på stranda")
    _connector(fake).publish(PublishRequest(text="Kveld", media=(item,), idempotency_key="k"))
    upload = fake.calls("POST", XRPC + "com.atproto.repo.uploadBlob")[0]
    assert upload.headers["Content-Type"] == "image/png"
    assert upload.content == PNG
    embed = fake.json_sent("POST", CREATE)["record"]["embed"]
    assert embed["$type"] == "app.bsky.embed.images"
    assert embed["images"][0]["alt"] == "Bål på stranda"
    assert embed["images"][0]["image"]["ref"]["$link"].startswith("bafkrei")


def test_limits_count_graphemes_and_image_size() -> None:
    connector = BlueskyConnector(credentials=None)
    ok = PublishRequest(text="👨\u200d👩\u200d👧" * 300, idempotency_key="k")
    from varde.connectors.checks import problems

    assert problems(ok, connector.limits) == []
    big = MediaItem(mime_type="image/jpeg", data=b"x" * 1_000_001)
    [too_big] = problems(
        PublishRequest(text="x", media=(big,), idempotency_key="k"), connector.limits
    )
    assert (too_big.code, too_big.values["size"]) == ("media_too_large", 1_000_001)
    five = tuple(MediaItem(mime_type="image/png", data=PNG) for _ in range(5))
    assert problems(PublishRequest(text="x", media=five, idempotency_key="k"), connector.limits)


def test_expired_token_answered_with_400(fake: FakeNetwork) -> None:
    fake.on("POST", CREATE, reply(400, load("bluesky", "error_expired_token")))
    with pytest.raises(AuthExpired, match="Token has expired"):
        _connector(fake).publish(PublishRequest(text="x", idempotency_key="k"))


def test_login_with_app_password(fake: FakeNetwork) -> None:
    fake.on(
        "POST",
        XRPC + "com.atproto.server.createSession",
        reply(200, load("bluesky", "createSession")),
    )
    creds = BlueskyConnector(client=fake.client()).login(
        identifier="varde.bsky.social", secret="app-pass"
    )
    sent = fake.json_sent("POST", XRPC + "com.atproto.server.createSession")
    assert sent == {"identifier": "varde.bsky.social", "password": "app-pass"}
    assert "Authorization" not in fake.requests[0].headers
    assert creds.extra["did"] == BSKY_DID
    assert creds.expires_at == datetime.fromtimestamp(1735696800, UTC)
    assert creds.access_token not in repr(creds)
    assert str(creds.refresh_token) not in repr(creds)


def test_login_takes_the_handle_as_bluesky_shows_it(fake: FakeNetwork) -> None:
    """Profiles show "@varde.bsky.social"; the PDS wants the handle without the "@"."""
    fake.on(
        "POST",
        XRPC + "com.atproto.server.createSession",
        reply(200, load("bluesky", "createSession")),
    )
    BlueskyConnector(client=fake.client()).login(
        identifier=" @varde.bsky.social ", secret="app-pass"
    )
    sent = fake.json_sent("POST", XRPC + "com.atproto.server.createSession")
    assert sent["identifier"] == "varde.bsky.social"


def test_wrong_app_password(fake: FakeNetwork) -> None:
    fake.on(
        "POST",
        XRPC + "com.atproto.server.createSession",
        reply(401, load("bluesky", "error_auth_required")),
    )
    with pytest.raises(AuthExpired, match="Invalid identifier or password"):
        BlueskyConnector(client=fake.client()).login(identifier="x", secret="y")


def test_refresh_uses_the_refresh_token(fake: FakeNetwork) -> None:
    fake.on(
        "POST",
        XRPC + "com.atproto.server.refreshSession",
        reply(200, load("bluesky", "refreshSession")),
    )
    creds = _connector(fake).refresh()
    assert fake.requests[0].headers["Authorization"] == "Bearer refresh-jwt"
    assert creds.expires_at == datetime.fromtimestamp(1735707200, UTC)


def test_find_published_matches_text_within_window(fake: FakeNetwork) -> None:
    fake.on(
        "GET", XRPC + "com.atproto.repo.listRecords", reply(200, load("bluesky", "listRecords"))
    )
    connector = _connector(fake)
    request = PublishRequest(
        text="blåbærsyltetøy 🫐", link="https://varde.example/blog", idempotency_key="k"
    )
    found = connector.find_published(request, since=datetime(2024, 12, 31, tzinfo=UTC))
    assert found is not None
    assert found.network_post_id == HEAD_URI
    assert connector.find_published(request, since=datetime(2025, 1, 2, tzinfo=UTC)) is None
    other = PublishRequest(text="Noe annet", idempotency_key="k")
    assert connector.find_published(other, since=datetime(2024, 12, 1, tzinfo=UTC)) is None


def test_fetch_mentions_maps_replies_and_mentions_and_moves_the_cursor(fake: FakeNetwork) -> None:
    fake.on(
        "GET",
        XRPC + "app.bsky.notification.listNotifications",
        reply(200, load("bluesky", "listNotifications")),
    )
    page = _connector(fake).fetch_mentions(cursor=None)
    assert [m.kind for m in page.items] == [MentionKind.MENTION, MentionKind.COMMENT]
    comment = page.items[1]
    assert comment.author_handle == "kari.bsky.social"
    assert comment.text == "Så fint! <script>alert(1)</script>"  # untrusted, escaped when shown
    assert comment.in_reply_to == HEAD_URI
    assert comment.created_at == datetime(2025, 1, 1, 10, 5, tzinfo=UTC)
    assert page.cursor == "2025-01-01T10:05:01.000Z"


def test_fetch_mentions_stops_at_the_cursor(fake: FakeNetwork) -> None:
    fake.on(
        "GET",
        XRPC + "app.bsky.notification.listNotifications",
        reply(200, load("bluesky", "listNotifications")),
    )
    # Read back to ten minutes before the cursor (late-indexed notifications): 10:02 here.
    page = _connector(fake).fetch_mentions(cursor="2025-01-01T10:12:00.000Z")
    assert [m.kind for m in page.items] == [MentionKind.COMMENT]
    assert len(fake.requests) == 1
    assert page.cursor == "2025-01-01T10:12:00.000Z"  # nothing newer than the cursor was seen
    # Within the overlap the mention of 10:01 comes again; the inbox keeps items by id.
    again = _connector(fake).fetch_mentions(cursor="2025-01-01T10:06:00.000Z")
    assert [m.kind for m in again.items] == [MentionKind.MENTION, MentionKind.COMMENT]


def test_metrics_and_profile(fake: FakeNetwork) -> None:
    fake.on("GET", XRPC + "app.bsky.feed.getPosts", reply(200, load("bluesky", "getPosts")))
    fake.on("GET", XRPC + "app.bsky.actor.getProfile", reply(200, load("bluesky", "getProfile")))
    connector = _connector(fake)
    [metrics] = connector.fetch_metrics([HEAD_URI])
    assert (metrics.likes, metrics.reposts, metrics.replies, metrics.quotes) == (42, 5, 3, 1)
    assert fake.requests[0].url.params.get_list("uris") == [HEAD_URI]
    profile = connector.get_account()
    assert profile.followers == 1234
    assert profile.url == "https://bsky.app/profile/varde.bsky.social"


def test_delete_sends_repo_collection_and_rkey(fake: FakeNetwork) -> None:
    fake.on("POST", XRPC + "com.atproto.repo.deleteRecord", reply(200, {}))
    _connector(fake).delete(HEAD_URI)
    assert fake.json_sent("POST", XRPC + "com.atproto.repo.deleteRecord") == {
        "repo": BSKY_DID,
        "collection": "app.bsky.feed.post",
        "rkey": "3l6oveex3ii2l",
    }


def test_bad_ids_and_tokens() -> None:
    with pytest.raises(Rejected):
        split_at_uri("https://bsky.app/profile/x/post/y")
    assert jwt_expiry("not-a-jwt") is None


def test_refresh_without_a_refresh_token_asks_for_reconnection(fake: FakeNetwork) -> None:
    connector = BlueskyConnector(
        credentials=Credentials(access_token="a", extra={"did": BSKY_DID}), client=fake.client()
    )
    with pytest.raises(AuthExpired, match="connect the account again"):
        connector.refresh()
    assert not fake.requests


def test_fetch_replies_reads_others_direct_replies_from_the_thread(fake: FakeNetwork) -> None:
    fake.on(
        "GET",
        XRPC + "app.bsky.feed.getPostThread",
        reply(200, load("bluesky", "getPostThread")),
    )
    replies = _connector(fake).fetch_replies(HEAD_URI)
    # The account's own thread part and the deleted reply are left out.
    assert [(m.author_handle, m.kind) for m in replies] == [
        ("kari.bsky.social", MentionKind.COMMENT),
        ("lise.bsky.social", MentionKind.COMMENT),
    ]
    assert all(m.in_reply_to == HEAD_URI for m in replies)
    assert replies[1].author_name == "lise.bsky.social"  # no display name: the handle
    assert replies[1].created_at == datetime(2025, 1, 1, 10, 20, tzinfo=UTC)
    params = fake.requests[0].url.params
    assert (params["uri"], params["depth"], params["parentHeight"]) == (HEAD_URI, "1", "0")


def test_fetch_replies_refuses_an_id_that_is_not_a_post(fake: FakeNetwork) -> None:
    with pytest.raises(Rejected):
        _connector(fake).fetch_replies("https://bsky.app/profile/x/post/1")
    assert fake.requests == []
