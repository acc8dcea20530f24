"""Meta's Graph API, shared by the Facebook Page, Instagram and Threads connectors.

Reference: https://developers.facebook.com/docs/graph-api/guides/error-handling,
https://developers.facebook.com/docs/graph-api/overview/rate-limiting and
https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow and
access-tokens (long-lived tokens). The version is pinned: Meta keeps each for two years.

Graph answers errors as ``{"error": {"message", "type", "code", "error_subcode",
"fbtrace_id"}}``, often with HTTP 400 whatever went wrong, so the code decides: 190 is an
expired or revoked token, 4/17/32/613 (and 80001-80014, the business use case limits) are
rate limits, whatever the status.

What the connector classes do alike on top of this is in ``graph_connector.py``.
"""

import json
from collections.abc import Callable, Iterator, Mapping
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import httpx

from varde.connectors.contracts import Credentials, MediaItem
from varde.connectors.errors import RateLimited, Rejected, Transient
from varde.connectors.http import ErrorDetail, json_object, retry_after_seconds, send, utc_now

VERSION = "v21.0"
GRAPH = f"https://graph.facebook.com/{VERSION}"
DIALOG = f"https://www.facebook.com/{VERSION}/dialog/oauth"
AUTH_CODES = ("190", "102")
RATE_CODES = frozenset({"4", "17", "32", "613"} | {str(code) for code in range(80001, 80015)})


def read_error(response: httpx.Response) -> ErrorDetail:
    body = response.json()
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return ErrorDetail(reason=None)
    # error_user_msg is written for end users when Meta provides it; message otherwise.
    reason = error.get("error_user_msg") or error.get("message")
    code = error.get("code")
    return ErrorDetail(
        reason=str(reason) if reason else None, code=str(code) if code is not None else None
    )


def usage_wait(headers: httpx.Headers) -> float | None:
    """Seconds until access returns, from ``X-Business-Use-Case-Usage`` /
    ``X-App-Usage``'s ``estimated_time_to_regain_access`` (minutes)."""
    minutes: list[float] = []
    for name in ("x-business-use-case-usage", "x-app-usage", "x-page-usage"):
        try:
            usage = json.loads(headers.get(name) or "null")
        except ValueError:
            continue
        entries = [usage] if isinstance(usage, dict) else []
        if isinstance(usage, dict) and not {"call_count", "estimated_time_to_regain_access"} & set(
            usage
        ):
            entries = [
                item for value in usage.values() if isinstance(value, list) for item in value
            ]
        minutes += [
            float(entry["estimated_time_to_regain_access"])
            for entry in entries
            if isinstance(entry, dict)
            and isinstance(entry.get("estimated_time_to_regain_access"), int | float)
        ]
    return max(minutes) * 60 if minutes else None


def call(
    client: httpx.Client,
    method: str,
    path: str,
    *,
    token: str | None,
    side_effect: bool,
    network: str,
    **kwargs: Any,
) -> httpx.Response:
    headers = dict(kwargs.pop("headers", {}))
    if token:
        headers["Authorization"] = f"Bearer {token}"
    url = path if path.startswith("https://") else f"{GRAPH}{path}"
    failed: list[httpx.Response] = []

    def reader(response: httpx.Response) -> ErrorDetail:
        failed.append(response)  # kept for the usage headers of a rate-limit refusal
        return read_error(response)

    try:
        return send(
            client,
            method,
            url,
            side_effect=side_effect,
            read_error=reader,
            network=network,
            auth_error_codes=AUTH_CODES,
            headers=headers,
            **kwargs,
        )
    except Rejected as error:
        if error.code not in RATE_CODES:
            raise
        wait = None
        if failed:
            wait = usage_wait(failed[-1].headers) or retry_after_seconds(failed[-1].headers)
        raise RateLimited(
            f"{network} rate limit reached: {error.reason}", retry_after=wait, status=error.status
        ) from error


def get_object(
    client: httpx.Client, path: str, *, token: str | None, network: str, **kwargs: Any
) -> dict[str, Any]:
    response = call(client, "GET", path, token=token, side_effect=False, network=network, **kwargs)
    return json_object(response, side_effect=False, network=network)


def dialog_url(*, client_id: str, redirect_uri: str, state: str, scopes: tuple[str, ...]) -> str:
    query = {
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "state": state,
        "response_type": "code",
        "scope": ",".join(scopes),
    }
    return f"{DIALOG}?{urlencode(query)}"


def long_lived_user_token(
    client: httpx.Client,
    *,
    client_id: str,
    client_secret: str,
    network: str,
    code: str | None = None,
    redirect_uri: str | None = None,
    token: str | None = None,
) -> Credentials:
    """Swap a code (or a long-lived token, to extend it) for a 60-day user token."""
    if code is not None:
        short = get_object(
            client,
            "/oauth/access_token",
            token=None,
            network=network,
            params={
                "client_id": client_id,
                "client_secret": client_secret,
                "redirect_uri": redirect_uri or "",
                "code": code,
            },
        )
        token = str(short["access_token"])
    answer = get_object(
        client,
        "/oauth/access_token",
        token=None,
        network=network,
        params={
            "grant_type": "fb_exchange_token",
            "client_id": client_id,
            "client_secret": client_secret,
            "fb_exchange_token": token or "",
        },
    )
    expires_in = answer.get("expires_in")
    return Credentials(
        access_token=str(answer["access_token"]),
        expires_at=utc_now() + timedelta(seconds=expires_in)
        if isinstance(expires_in, int)
        else None,
    )


def next_page(body: Mapping[str, Any]) -> str | None:
    url = (body.get("paging") or {}).get("next")
    return str(url) if isinstance(url, str) and url.startswith("https://") else None


def pages(
    get: Callable[[str, dict[str, Any] | None], dict[str, Any]],
    path: str,
    params: dict[str, Any],
    *,
    max_pages: int,
) -> Iterator[dict[str, Any]]:
    """Each answer of an edge read along ``paging.next``, at most ``max_pages`` of them.
    ``get(url, params)`` does one GET; the next address already carries the query (and a
    cursor), so nothing is added to it."""
    url: str | None = path
    query: dict[str, Any] | None = params
    for _ in range(max_pages):
        if url is None:
            return
        body = get(url, query)
        yield body
        url, query = next_page(body), None


# At most this many Pages are listed for one person (100 per request, 10 requests).
_PAGES_PER_REQUEST = 100
_MAX_PAGE_REQUESTS = 10


def managed_pages(
    client: httpx.Client, *, token: str, network: str, fields: str
) -> list[dict[str, Any]]:
    """The Pages the signed-in person can act on (``GET /me/accounts``,
    developers.facebook.com/docs/pages-api/getting-started): one object per Page with the
    asked ``fields``, following ``paging.next``. Only the Pages the person shared with the
    app in the login dialog are listed."""
    answers = pages(
        lambda url, params: get_object(client, url, token=token, network=network, params=params),
        "/me/accounts",
        {"fields": fields, "limit": _PAGES_PER_REQUEST},
        max_pages=_MAX_PAGE_REQUESTS,
    )
    return [page for body in answers for page in body.get("data") or () if isinstance(page, dict)]


def page_allows(page: Mapping[str, Any], tasks: frozenset[str]) -> bool:
    """Whether the person may do one of ``tasks`` on the Page (its ``tasks`` list, e.g.
    ``["ANALYZE", "ADVERTISE", "MODERATE", "CREATE_CONTENT"]``). A Page listed without
    ``tasks`` is not refused here: the network decides when Varde posts."""
    granted = page.get("tasks")
    if not isinstance(granted, list):
        return True
    return bool(tasks & {str(task) for task in granted})


# -- Page videos: the resumable upload ---------------------------------------------------------
# developers.facebook.com/docs/graph-api/video-uploads: POST /{page-id}/videos three times over.
# ``start`` with ``file_size`` opens a session and answers ``upload_session_id``, ``video_id``
# and the first byte range (``start_offset``, ``end_offset``); each ``transfer`` sends that
# range as ``video_file_chunk`` and answers the next one, until start equals end; ``finish``
# publishes the video with its ``description`` (and ``title``). Until ``finish`` nothing is
# visible, so only ``finish`` is a side effect. Meta documents 10 GB and 4 hours at most.
# The older pages send uploads to graph-video.facebook.com; the Video API overview now says
# that host is deprecated and graph.facebook.com takes them, so the usual GRAPH address is used.
VIDEO_MAX_BYTES = 10 * 1000**3
# A chunk whose answer was lost or that met a server error is sent again from the same offset
# (the point of the resumable protocol), at most this many times before the upload gives up.
CHUNK_ATTEMPTS = 3


def read_range(item: MediaItem, start: int, end: int) -> bytes:
    """Bytes ``start`` to ``end`` (exclusive) of the file, read from disk when it is on disk:
    a 1 GB video is never held in memory whole, only the chunk Facebook asked for."""
    if item.path is None:
        return item.read_bytes()[start:end]
    with item.path.open("rb") as source:
        source.seek(start)
        return source.read(end - start)


def _offsets(answer: Mapping[str, Any], network: str) -> tuple[int, int]:
    # Graph writes the offsets as strings of digits ("52428800").
    try:
        return int(answer["start_offset"]), int(answer["end_offset"])
    except (KeyError, TypeError, ValueError) as exc:
        msg = f"{network} answered a video upload step without the next byte range"
        raise Transient(msg) from exc


def upload_page_video(
    client: httpx.Client,
    *,
    page_id: str,
    item: MediaItem,
    token: str,
    network: str,
    description: str,
    title: str | None,
) -> str:
    """Upload and publish one video on a Page; returns the video's id. Facebook may still be
    processing it: it appears on the Page when done, which is not an error here."""

    def step(fields: dict[str, str], *, side_effect: bool, **kwargs: Any) -> dict[str, Any]:
        response = call(
            client,
            "POST",
            f"/{page_id}/videos",
            token=token,
            side_effect=side_effect,
            network=network,
            data=fields,
            **kwargs,
        )
        return json_object(response, side_effect=side_effect, network=network)

    session = step({"upload_phase": "start", "file_size": str(item.size)}, side_effect=False)
    session_id, video_id = session.get("upload_session_id"), session.get("video_id")
    if not session_id or not video_id:
        raise Transient(f"{network} opened no video upload session")
    start, end = _offsets(session, network)
    while start < end:
        chunk = read_range(item, start, end)
        for attempt in range(1, CHUNK_ATTEMPTS + 1):
            try:
                answer = step(
                    {
                        "upload_phase": "transfer",
                        "upload_session_id": str(session_id),
                        "start_offset": str(start),
                    },
                    side_effect=False,
                    files={"video_file_chunk": ("chunk", chunk, "application/octet-stream")},
                )
                break
            except Transient:
                if attempt == CHUNK_ATTEMPTS:
                    raise
        start, end = _offsets(answer, network)
    fields = {
        "upload_phase": "finish",
        "upload_session_id": str(session_id),
        "description": description,
    }
    if title:
        fields["title"] = title
    finished = step(fields, side_effect=True)
    if finished.get("success") is not True:
        msg = f"{network} did not publish the uploaded video"
        raise Rejected(msg, code="video_not_published")
    return str(video_id)
