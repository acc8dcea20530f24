"""The shared contract: every registered connector, the same cases, hand-built responses.

To add a network, add one ``NetworkSpec`` row to ``SPECS`` (see docs/new-connector.md).
``test_every_registered_connector_has_a_row`` fails until you do.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from varde.connectors import registry
from varde.connectors.base import Connector
from varde.connectors.capabilities import Capability
from varde.connectors.contracts import Credentials, MediaItem, PublishRequest
from varde.connectors.errors import (
    AuthExpired,
    NotSupported,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    Transient,
)
from varde.connectors.tests.conftest import FakeNetwork, Responder, fail, load, reply

BSKY_DID = "did:plc:z72i7hdynmk6r22z27h6tvur"
PUBLIC_ADDRESS = "93.184.216.34"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


@dataclass(frozen=True)
class NetworkSpec:
    """One row of the contract table: how to build the connector and answer like its API."""

    key: str
    build: Callable[[httpx.Client], Connector]
    publish_route: tuple[str, str]
    publish_ok: Responder
    expected_post_id: str
    # The network's own error body for a refused post, and the reason users must see.
    refused_status: int
    refused_body: Any
    refused_reason: str
    forbidden_body: Any
    forbidden_reason: str
    setup: Callable[[FakeNetwork], None] = lambda fake: None
    # What a 2xx with a body that is not JSON means (webhook receivers may answer anything).
    malformed_success: type[Exception] | None = OutcomeUnknown
    # Network-specific "token expired" answers besides a plain 401.
    expired_answers: tuple[tuple[int, Any], ...] = ()
    extra_publish_kwargs: dict[str, Any] = field(default_factory=dict)
    # Networks that need media on every post, or fetch it from a URL, adapt the requests.
    adapt: Callable[[PublishRequest], PublishRequest] = lambda request: request
    # The network's answers to a video's upload (besides the publish route), for rows whose
    # connector declares Capability.VIDEO and whose video path this table covers.
    video_setup: Callable[[FakeNetwork], None] | None = None


def _bluesky(client: httpx.Client) -> Connector:
    creds = Credentials(
        access_token="access-jwt",
        refresh_token="refresh-jwt",
        extra={"did": BSKY_DID, "handle": "varde.bsky.social"},
    )
    return registry.get("bluesky")(credentials=creds, client=client, sleep=lambda _: None)


def _mastodon(client: httpx.Client) -> Connector:
    creds = Credentials(access_token="token", extra={"account_id": "109382", "acct": "varde"})
    config = {"instance": "https://mastodon.example", "client_id": "id", "client_secret": "s"}
    return registry.get("mastodon")(
        credentials=creds, config=config, client=client, sleep=lambda _: None
    )


def _wordpress(client: httpx.Client) -> Connector:
    creds = Credentials(access_token="abcd efgh ijkl", extra={"username": "redaksjon"})
    return registry.get("wordpress")(
        credentials=creds, config={"site": "https://blogg.varde.example"}, client=client
    )


def _webhook(client: httpx.Client) -> Connector:
    connector = registry.get("webhook")(
        credentials=Credentials(access_token="shared-secret"),
        config={"url": "https://hooks.varde.example/hook"},
        client=client,
    )
    connector.resolver = lambda host, port: [PUBLIC_ADDRESS]  # type: ignore[attr-defined]
    return connector


def _x(client: httpx.Client) -> Connector:
    creds = Credentials(
        access_token="x-token",
        refresh_token="x-refresh",
        extra={"user_id": "2244994945", "username": "varde_no"},
    )
    return registry.get("x")(
        credentials=creds, config={"client_id": "x-client"}, client=client, sleep=lambda _: None
    )


def _linkedin(client: httpx.Client) -> Connector:
    return registry.get("linkedin")(
        credentials=Credentials(access_token="li-token"),
        config={"client_id": "li", "client_secret": "s", "organization_id": "2414183"},
        client=client,
    )


LINKEDIN_POST = "urn:li:share:7280000000000000001"


def _facebook(client: httpx.Client) -> Connector:
    return registry.get("facebook")(
        credentials=Credentials(access_token="page-token", extra={"page_id": "104512345678901"}),
        config={"client_id": "fb", "client_secret": "s", "page_id": "104512345678901"},
        client=client,
    )


def _facebook_video_setup(fake: FakeNetwork) -> None:
    fake.on(
        "POST",
        "/v21.0/104512345678901/videos",
        reply(200, load("facebook", "video_start")),
        reply(200, load("facebook", "video_transfer")),
        reply(200, load("facebook", "video_transfer_last")),
        reply(200, load("facebook", "video_finish")),
    )


def _instagram(client: httpx.Client) -> Connector:
    return registry.get("instagram")(
        credentials=Credentials(access_token="ig-token", extra={"username": "varde.norge"}),
        config={"client_id": "fb", "client_secret": "s", "ig_user_id": "17841405822304914"},
        client=client,
        sleep=lambda _: None,
    )


def _with_public_jpeg(request: PublishRequest) -> PublishRequest:
    jpeg = MediaItem(
        mime_type="image/jpeg",
        data=b"\xff\xd8\xff\xe0",
        public_url="https://media.varde.example/b%C3%A5l.jpg",
    )
    return replace(request, media=(jpeg,))


def _instagram_setup(fake: FakeNetwork) -> None:
    ig = "/v21.0/17841405822304914"
    fake.on(
        "GET", f"{ig}/content_publishing_limit", reply(200, load("instagram", "publishing_limit"))
    )
    fake.on("POST", f"{ig}/media", reply(200, load("instagram", "container_created")))
    fake.on("GET", "/v21.0/17889455560051444", reply(200, load("instagram", "container_finished")))
    fake.on("GET", "/v21.0/17920238422030506", reply(200, load("instagram", "permalink")))


THREADS_USER = "25133481234567890"


def _threads(client: httpx.Client) -> Connector:
    creds = Credentials(
        access_token="th-token", extra={"user_id": THREADS_USER, "username": "varde.norge"}
    )
    return registry.get("threads")(
        credentials=creds,
        config={"client_id": "th", "client_secret": "s"},
        client=client,
        sleep=lambda _: None,
    )


def _with_public_urls(request: PublishRequest) -> PublishRequest:
    media = tuple(
        replace(item, public_url=f"https://media.varde.example/{n}")
        for n, item in enumerate(request.media)
    )
    return replace(request, media=media)


def _threads_setup(fake: FakeNetwork) -> None:
    fake.on(
        "POST", f"/v1.0/{THREADS_USER}/threads", reply(200, load("threads", "container_created"))
    )
    fake.on("GET", "/v1.0/18038176834500001", reply(200, load("threads", "container_finished")))


YT_SESSION = (
    "https://www.googleapis.com/upload/youtube/v3/videos?uploadType=resumable"
    "&upload_id=AEnB2UqVardeSession&part=snippet,status"
)


def _youtube(client: httpx.Client) -> Connector:
    creds = Credentials(
        access_token="ya29.token",
        refresh_token="1//refresh",
        extra={
            "channel_id": "UC_x5XG1OV2P6uZZ5FSM9Ttw",
            "uploads_playlist": "UU_x5XG1OV2P6uZZ5FSM9Ttw",
        },
    )
    return registry.get("youtube")(
        credentials=creds, config={"client_id": "yt", "client_secret": "s"}, client=client
    )


def _with_one_video(request: PublishRequest) -> PublishRequest:
    return replace(request, media=(MediaItem(mime_type="video/mp4", data=b"\x00" * 64),))


SPECS = [
    NetworkSpec(
        key="bluesky",
        build=_bluesky,
        publish_route=("POST", "/xrpc/com.atproto.repo.createRecord"),
        publish_ok=reply(200, load("bluesky", "createRecord")),
        expected_post_id=f"at://{BSKY_DID}/app.bsky.feed.post/3l6oveex3ii2l",
        refused_status=400,
        refused_body=load("bluesky", "error_invalid_request"),
        refused_reason=(
            "Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes"
        ),
        forbidden_body=load("bluesky", "error_forbidden"),
        forbidden_reason="Account has been taken down",
        setup=lambda fake: fake.on(
            "POST", "/xrpc/com.atproto.repo.uploadBlob", reply(200, load("bluesky", "uploadBlob"))
        ),
        expired_answers=((400, load("bluesky", "error_expired_token")),),
    ),
    NetworkSpec(
        key="mastodon",
        build=_mastodon,
        publish_route=("POST", "/api/v1/statuses"),
        publish_ok=reply(200, load("mastodon", "status")),
        expected_post_id="103254962155278888",
        refused_status=422,
        refused_body=load("mastodon", "error_validation"),
        refused_reason="Validation failed: Text character limit of 500 exceeded",
        forbidden_body=load("mastodon", "error_forbidden"),
        forbidden_reason="This action is not allowed",
        setup=lambda fake: (
            fake.on("GET", "/api/v2/instance", reply(200, load("mastodon", "instance_v2"))),
            fake.on("POST", "/api/v2/media", reply(200, load("mastodon", "media_ready"))),
        ),
    ),
    NetworkSpec(
        key="wordpress",
        build=_wordpress,
        publish_route=("POST", "/wp-json/wp/v2/posts"),
        publish_ok=reply(201, load("wordpress", "post")),
        expected_post_id="4711",
        refused_status=400,
        refused_body=load("wordpress", "error_invalid_param"),
        refused_reason="Invalid parameter(s): status",
        forbidden_body=load("wordpress", "error_forbidden"),
        forbidden_reason="Sorry, you are not allowed to create posts as this user.",
        setup=lambda fake: (
            fake.on("POST", "/wp-json/wp/v2/media", reply(201, load("wordpress", "media"))),
            fake.on("POST", "/wp-json/wp/v2/media/88", reply(200, load("wordpress", "media"))),
        ),
        expired_answers=((401, load("wordpress", "error_auth")),),
        video_setup=lambda fake: (
            fake.on("POST", "/wp-json/wp/v2/media", reply(201, load("wordpress", "media_video"))),
            fake.on(
                "POST", "/wp-json/wp/v2/media/89", reply(200, load("wordpress", "media_video"))
            ),
        ),
    ),
    NetworkSpec(
        key="webhook",
        build=_webhook,
        publish_route=("POST", "/hook"),
        publish_ok=reply(200, load("webhook", "receiver_ok")),
        expected_post_id="intranet-991",
        refused_status=422,
        refused_body={"detail": "unknown channel"},
        refused_reason="unknown channel",
        forbidden_body={"detail": "bad signature"},
        forbidden_reason="bad signature",
        malformed_success=None,
    ),
    NetworkSpec(
        key="x",
        build=_x,
        publish_route=("POST", "/2/tweets"),
        publish_ok=reply(201, load("x", "tweet_created")),
        expected_post_id="1445880548472328192",
        refused_status=400,
        refused_body=load("x", "error_invalid_request"),
        refused_reason=(
            "Your Tweet text is too long. For more information on how X determines text length "
            "see https://github.com/twitter/twitter-text."
        ),
        forbidden_body=load("x", "error_forbidden"),
        forbidden_reason="You are not allowed to create a Tweet with duplicate content.",
        setup=lambda fake: (
            fake.on("POST", "/2/media/upload", reply(200, load("x", "media_upload"))),
            fake.on("POST", "/2/media/metadata", reply(200, load("x", "media_metadata"))),
        ),
        expired_answers=((401, load("x", "error_unauthorized")),),
    ),
    NetworkSpec(
        key="linkedin",
        build=_linkedin,
        publish_route=("POST", "/rest/posts"),
        publish_ok=reply(201, None, headers={"x-restli-id": LINKEDIN_POST}),
        expected_post_id=LINKEDIN_POST,
        refused_status=422,
        refused_body=load("linkedin", "error_unprocessable"),
        refused_reason="ERROR :: /commentary :: is too long. Length: 3141, limit: 3000",
        forbidden_body=load("linkedin", "error_forbidden"),
        forbidden_reason=(
            "Not enough permissions to access: partnerApiPostsExternal.CREATE.20260501"
        ),
        setup=lambda fake: (
            fake.on("POST", "/rest/images", reply(200, load("linkedin", "images_initialize"))),
            fake.on("PUT", "/dms-uploads/sp/v2/D4E10AQFakeUpload/uploaded-image/0", reply(201)),
        ),
        expired_answers=((401, load("linkedin", "error_revoked")),),
    ),
    NetworkSpec(
        key="facebook",
        build=_facebook,
        publish_route=("POST", "/v21.0/104512345678901/feed"),
        publish_ok=reply(200, load("facebook", "feed_created")),
        expected_post_id="104512345678901_122100123456789012",
        refused_status=400,
        refused_body=load("facebook", "error_invalid_param"),
        refused_reason="Bildene du laster opp må være mindre enn 4 MB.",
        forbidden_body=load("facebook", "error_permission"),
        forbidden_reason="(#200) The user hasn't authorized the application to perform this action",
        setup=lambda fake: fake.on(
            "POST",
            "/v21.0/104512345678901/photos",
            reply(200, load("facebook", "photo_unpublished")),
        ),
        expired_answers=((400, load("facebook", "error_token_expired")),),
        video_setup=_facebook_video_setup,
    ),
    NetworkSpec(
        key="instagram",
        build=_instagram,
        publish_route=("POST", "/v21.0/17841405822304914/media_publish"),
        publish_ok=reply(200, load("instagram", "media_published")),
        expected_post_id="17920238422030506",
        refused_status=400,
        refused_body=load("instagram", "error_invalid_caption"),
        refused_reason="Bildeteksten kan ikke være lengre enn 2200 tegn.",
        forbidden_body=load("instagram", "error_permission"),
        forbidden_reason="(#10) Application does not have permission for this action",
        setup=_instagram_setup,
        expired_answers=((400, load("instagram", "error_token_expired")),),
        adapt=_with_public_jpeg,
    ),
    NetworkSpec(
        key="threads",
        build=_threads,
        publish_route=("POST", f"/v1.0/{THREADS_USER}/threads_publish"),
        publish_ok=reply(200, load("threads", "published")),
        expected_post_id="18051216148012345",
        refused_status=400,
        refused_body=load("threads", "error_param"),
        refused_reason="Param text must be at most 500 characters long.",
        forbidden_body=load("threads", "error_permission"),
        forbidden_reason="Application does not have permission for this action",
        setup=_threads_setup,
        expired_answers=((400, load("threads", "error_token_expired")),),
        adapt=_with_public_urls,
    ),
    NetworkSpec(
        key="youtube",
        build=_youtube,
        publish_route=("PUT", "/upload/youtube/v3/videos"),
        publish_ok=reply(200, load("youtube", "video")),
        expected_post_id="Ks-_Mh1QhMc",
        refused_status=400,
        refused_body=load("youtube", "error_invalid_title"),
        refused_reason="The request metadata specifies an invalid video title.",
        forbidden_body=load("youtube", "error_forbidden"),
        forbidden_reason="The request is not properly authorized to upload videos to this channel.",
        setup=lambda fake: fake.on(
            "POST", "/upload/youtube/v3/videos", reply(200, None, headers={"Location": YT_SESSION})
        ),
        expired_answers=((401, load("youtube", "error_auth")),),
        adapt=_with_one_video,
    ),
]

REQUEST = PublishRequest(
    text="Hei fra Varde! Blåbærsyltetøy 🫐 https://varde.example/blog",
    idempotency_key="delivery-42",
)


@pytest.fixture(params=SPECS, ids=lambda spec: spec.key)
def spec(request: pytest.FixtureRequest) -> NetworkSpec:
    return request.param  # type: ignore[no-any-return]


def _run(
    spec: NetworkSpec, fake: FakeNetwork, *answers: Responder, request: PublishRequest = REQUEST
):
    spec.setup(fake)
    fake.on(*spec.publish_route, *answers)
    return spec.build(fake.client()).publish(spec.adapt(request))


def test_every_registered_connector_has_a_row() -> None:
    for key in (
        "bluesky",
        "mastodon",
        "wordpress",
        "webhook",
        "x",
        "linkedin",
        "facebook",
        "instagram",
    ):
        registry.get(key)
    # Connectors living in other apps (the sandbox, backed by the database) have their own
    # tests; every network module of this package must have a row here.
    ours = {
        key
        for key, cls in registry.registered().items()
        if cls.__module__.startswith("varde.connectors.")
    }
    # The newsletter speaks SMTP, not HTTP: its row of the same cases is test_contract_smtp.py.
    assert ours <= {spec.key for spec in SPECS} | {"newsletter"}


def test_every_builtin_connector_has_a_row() -> None:
    # Every network package the registry knows, imported or not yet (registry.BUILTIN).
    builtin = {
        cls.key for cls in registry.known() if cls.__module__.startswith("varde.connectors.")
    }
    assert set(registry.BUILTIN) <= builtin
    assert builtin <= {spec.key for spec in SPECS} | {"newsletter"}


def test_class_attributes(spec: NetworkSpec, fake: FakeNetwork) -> None:
    connector = spec.build(fake.client())
    assert connector.key == spec.key
    assert connector.label
    assert connector.supports(Capability.TEXT)
    assert isinstance(connector, Connector)


def test_publish_success(spec: NetworkSpec, fake: FakeNetwork) -> None:
    result = _run(spec, fake, spec.publish_ok)
    assert result.network_post_id == spec.expected_post_id
    assert result.published_at.tzinfo is not None
    assert len(fake.calls(*spec.publish_route)) == 1


def test_publish_with_image(spec: NetworkSpec, fake: FakeNetwork) -> None:
    request = PublishRequest(
        text="Bål på stranda",
        idempotency_key="delivery-43",
        media=(MediaItem(mime_type="image/png", data=PNG, alt_text="Bål på stranda i kveld"),),
    )
    result = _run(spec, fake, spec.publish_ok, request=request)
    assert result.network_post_id == spec.expected_post_id


def test_publish_with_video(spec: NetworkSpec, fake: FakeNetwork) -> None:
    """A 64-byte video with alt text: a row that covers video publishes it, a connector
    without Capability.VIDEO refuses it before any call."""
    connector = spec.build(fake.client())
    request = PublishRequest(
        text="Filmen fra stranda",
        idempotency_key="delivery-44",
        media=(MediaItem(mime_type="video/mp4", data=bytes(64), alt_text="Bølger"),),
    )
    if not connector.supports(Capability.VIDEO):
        with pytest.raises(NotSupported):
            connector.publish(request)
        assert not fake.requests
        return
    if spec.video_setup is None:
        pytest.skip(f"{spec.key}: video is covered by its own tests, not this table")
    spec.video_setup(fake)
    fake.on(*spec.publish_route, spec.publish_ok)
    result = connector.publish(spec.adapt(request))
    assert result.network_post_id
    assert result.published_at.tzinfo is not None


def test_401_is_auth_expired(spec: NetworkSpec, fake: FakeNetwork) -> None:
    with pytest.raises(AuthExpired):
        _run(spec, fake, reply(401, {"error": "The access token is invalid"}))


def test_network_specific_expired_token(spec: NetworkSpec, fake: FakeNetwork) -> None:
    for status, body in spec.expired_answers:
        with pytest.raises(AuthExpired):
            _run(spec, fake, reply(status, body))


def test_403_is_rejected_with_the_networks_reason(spec: NetworkSpec, fake: FakeNetwork) -> None:
    with pytest.raises(Rejected) as caught:
        _run(spec, fake, reply(403, spec.forbidden_body))
    assert caught.value.reason == spec.forbidden_reason
    assert caught.value.status == 403


def test_error_body_shape_gives_readable_reason(spec: NetworkSpec, fake: FakeNetwork) -> None:
    with pytest.raises(Rejected) as caught:
        _run(spec, fake, reply(spec.refused_status, spec.refused_body))
    assert caught.value.reason == spec.refused_reason


def test_429_retry_after_seconds(spec: NetworkSpec, fake: FakeNetwork) -> None:
    with pytest.raises(RateLimited) as caught:
        _run(spec, fake, reply(429, {"error": "slow down"}, headers={"Retry-After": "30"}))
    assert caught.value.retry_after == 30.0
    assert caught.value.retryable


def test_429_retry_after_http_date(spec: NetworkSpec, fake: FakeNetwork) -> None:
    with pytest.raises(RateLimited) as caught:
        _run(spec, fake, reply(429, None, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}))
    # A date in the past means "now": never a negative wait.
    assert caught.value.retry_after == 0.0


def test_429_rate_limit_reset_header(spec: NetworkSpec, fake: FakeNetwork) -> None:
    reset = datetime.now(UTC).timestamp() + 120
    with pytest.raises(RateLimited) as caught:
        _run(spec, fake, reply(429, None, headers={"ratelimit-reset": str(int(reset))}))
    assert caught.value.retry_after is not None
    assert 100 < caught.value.retry_after <= 120


def test_5xx_is_transient(spec: NetworkSpec, fake: FakeNetwork) -> None:
    with pytest.raises(Transient) as caught:
        _run(spec, fake, reply(503, raw=b"<html>Service Unavailable</html>"))
    assert caught.value.status == 503
    assert caught.value.retryable


def test_504_on_publish_is_outcome_unknown(spec: NetworkSpec, fake: FakeNetwork) -> None:
    with pytest.raises(OutcomeUnknown):
        _run(spec, fake, reply(504, raw=b"Gateway Timeout"))


def test_read_timeout_on_publish_is_outcome_unknown(spec: NetworkSpec, fake: FakeNetwork) -> None:
    with pytest.raises(OutcomeUnknown):
        _run(spec, fake, fail(httpx.ReadTimeout))


def test_connect_error_is_transient(spec: NetworkSpec, fake: FakeNetwork) -> None:
    with pytest.raises(Transient):
        _run(spec, fake, fail(httpx.ConnectError))


def test_malformed_json_on_success(spec: NetworkSpec, fake: FakeNetwork) -> None:
    answer = reply(200, raw=b"{not json", headers={"Content-Type": "application/json"})
    if spec.malformed_success is None:
        assert _run(spec, fake, answer).network_post_id
        return
    with pytest.raises(spec.malformed_success) as caught:
        _run(spec, fake, answer)
    assert "not valid JSON" in str(caught.value)


def test_malformed_error_body_keeps_the_status(spec: NetworkSpec, fake: FakeNetwork) -> None:
    with pytest.raises(Rejected) as caught:
        _run(spec, fake, reply(400, raw=b"<html><body>Bad Request</body></html>"))
    assert caught.value.status == 400
    assert caught.value.reason


def test_too_long_text_is_refused_before_any_call(spec: NetworkSpec, fake: FakeNetwork) -> None:
    connector = spec.build(fake.client())
    spec.setup(fake)
    limit = connector.effective_limits().text_max
    if limit is None:
        pytest.skip(f"{spec.key} has no text limit")
    fake.requests.clear()
    with pytest.raises(Rejected) as caught:
        connector.publish(PublishRequest(text="ø" * (limit + 1), idempotency_key="k"))
    assert caught.value.code == "limits"
    assert not fake.calls(*spec.publish_route)


def test_thread_failure_after_head_reports_partial(spec: NetworkSpec, fake: FakeNetwork) -> None:
    connector = spec.build(fake.client())
    if not connector.supports(Capability.THREADS) or spec.key == "webhook":
        pytest.skip("one request per post; nothing can be half-published")
    request = PublishRequest(text="Del 1", thread=("Del 2", "Del 3"), idempotency_key="t-1")
    with pytest.raises(Transient) as caught:
        _run(spec, fake, spec.publish_ok, reply(503, raw=b"down"), request=request)
    assert caught.value.partial is not None
    assert caught.value.partial.network_post_id == spec.expected_post_id


def test_unsupported_capabilities_raise_not_supported(spec: NetworkSpec, fake: FakeNetwork) -> None:
    connector = spec.build(fake.client())
    calls: dict[Capability, Callable[[], object]] = {
        Capability.HIDE: lambda: connector.hide("1"),
        Capability.DELETE: lambda: connector.delete("1"),
        Capability.FIND_PUBLISHED: lambda: connector.find_published(
            REQUEST, since=datetime.now(UTC)
        ),
        Capability.OAUTH: lambda: connector.authorize_url(redirect_uri="https://x", state="s"),
        Capability.APP_PASSWORD: lambda: connector.login(identifier="a", secret="b"),
    }
    for capability, call in calls.items():
        if not connector.supports(capability):
            with pytest.raises(NotSupported):
                call()


def test_request_that_needs_a_missing_capability(spec: NetworkSpec, fake: FakeNetwork) -> None:
    connector = spec.build(fake.client())
    spec.setup(fake)
    if connector.supports(Capability.THREADS):
        pytest.skip("supports threads")
    threaded = PublishRequest(text="x", idempotency_key="k", thread=("part two",))
    with pytest.raises(NotSupported):
        connector.publish(threaded)
