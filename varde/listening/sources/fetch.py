"""One way for a listening source to make an HTTP request: SSRF-guarded, size- and
time-limited, every failure a :class:`SourceError`.

Every URL a source calls may have been typed by a person (a feed, a Mastodon server, a PDS),
so every connection goes through ``varde.connectors.http.AddressGuard`` unless the
installation allows private addresses (``allow_private`` in the source's config, set by the
app from ``VARDE_ALLOW_PRIVATE_URLS``, never stored). Redirects are followed by hand, at most
``MAX_REDIRECTS``, each to http(s) only and each connection checked again by the guard. The
body is read in chunks and refused past ``max_bytes``; the whole exchange must end before the
caller's ``deadline`` (a ``time.monotonic()`` value).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from varde.connectors import ssrf
from varde.connectors.http import build_client, clean_reason, guarded_client, retry_after_seconds
from varde.listening.sources.base import SourceError

MAX_REDIRECTS = 5
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# Never wait longer than this for one request, whatever the deadline.
REQUEST_TIMEOUT = 30.0
CONNECT_TIMEOUT = 5.0
_PERMANENT = frozenset({301, 308})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class Fetched:
    status: int
    headers: httpx.Headers
    body: bytes
    url: str  # after redirects
    moved_to: str | None  # set when a permanent redirect moved the resource

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise SourceError("bad_answer", "the answer is not valid JSON") from exc

    def json_object(self) -> dict[str, Any]:
        body = self.json()
        if not isinstance(body, dict):
            raise SourceError("bad_answer", "the answer is not a JSON object")
        return body


def check_http_url(url: str) -> str:
    """``url`` when it is an absolute http(s) URL without credentials; else ``bad_config``.
    (Where it points is checked per connection by the address guard.)"""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise SourceError("bad_config", f"not a valid URL: {url!r}") from exc
    if parts.scheme.lower() not in ssrf.ALLOWED_SCHEMES or not parts.hostname:
        raise SourceError("bad_config", "the address must start with http:// or https://")
    if parts.username or parts.password:
        raise SourceError("bad_config", "addresses with a user name or password are refused")
    return url.strip()


def client_for(*, allow_private: bool) -> httpx.Client:
    """The client for user-given hosts: guarded unless private addresses are allowed."""
    return build_client(trust_env=False) if allow_private else guarded_client()


def remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise SourceError("timeout", "the time for this read ran out")
    return left


def fetch(
    client: httpx.Client,
    url: str,
    *,
    deadline: float,
    method: str = "GET",
    max_bytes: int = DEFAULT_MAX_BYTES,
    headers: Mapping[str, str] | None = None,
    params: Mapping[str, str | int] | None = None,
    data: Mapping[str, str] | None = None,
    auth: tuple[str, str] | None = None,
    accept: frozenset[int] = frozenset(),
) -> Fetched:
    """Send one request (following redirects by hand) and return the answer; statuses in
    ``accept`` (e.g. 304) are returned, other non-2xx statuses raise :class:`SourceError`."""
    current = check_http_url(url)
    moved_to: str | None = None
    for _hop in range(MAX_REDIRECTS + 1):
        status, answer_headers, body = _exchange(
            client,
            method,
            current,
            deadline=deadline,
            max_bytes=max_bytes,
            headers=headers,
            params=params,
            data=data,
            auth=auth,
        )
        if status in _REDIRECTS and "location" in answer_headers:
            target = check_http_url(urljoin(current, answer_headers["location"]))
            if status in _PERMANENT and moved_to is None and method == "GET":
                moved_to = target
            if urlsplit(target).hostname != urlsplit(current).hostname:
                auth = None  # credentials are for the host they were given for
            current, params = target, None
            continue
        if status in accept or 200 <= status < 300:
            return Fetched(status, answer_headers, body, current, moved_to)
        raise error_for_status(status, answer_headers, body)
    raise SourceError("rejected", f"more than {MAX_REDIRECTS} redirects")


def _exchange(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    deadline: float,
    max_bytes: int,
    headers: Mapping[str, str] | None,
    params: Mapping[str, str | int] | None,
    data: Mapping[str, str] | None,
    auth: tuple[str, str] | None,
) -> tuple[int, httpx.Headers, bytes]:
    left = remaining(deadline)
    timeout = httpx.Timeout(min(REQUEST_TIMEOUT, left), connect=min(CONNECT_TIMEOUT, left))
    try:
        with client.stream(
            method,
            url,
            headers=dict(headers or {}),
            params=dict(params) if params else None,
            data=dict(data) if data else None,
            auth=auth,
            timeout=timeout,
            follow_redirects=False,
        ) as response:
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise SourceError("too_large", f"{int(declared)} bytes, at most {max_bytes}")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise SourceError("too_large", f"more than {max_bytes} bytes")
                if time.monotonic() > deadline:
                    raise SourceError("timeout", "the answer took too long to arrive")
                chunks.append(chunk)
            return response.status_code, response.headers, b"".join(chunks)
    except ssrf.UnsafeURLError as exc:
        raise SourceError("unsafe_url", str(exc)) from exc
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
        raise SourceError("unreachable", f"{type(exc).__name__}: {exc}") from exc
    except httpx.TimeoutException as exc:
        raise SourceError("timeout", type(exc).__name__) from exc
    except httpx.HTTPError as exc:
        raise SourceError("unreachable", f"{type(exc).__name__}: {exc}") from exc


def error_for_status(status: int, headers: httpx.Headers, body: bytes) -> SourceError:
    detail = _detail(status, body)
    if status in {401, 403}:
        return SourceError("auth", detail)
    if status in {404, 410}:
        return SourceError("not_found", detail)
    if status == 429:
        return SourceError("rate_limited", detail, retry_after=retry_after_seconds(headers))
    if status >= 500:
        return SourceError("server_error", detail, retry_after=retry_after_seconds(headers))
    if 300 <= status < 400:
        return SourceError("rejected", f"{detail} (a redirect without a Location)")
    return SourceError("rejected", detail)


def _detail(status: int, body: bytes) -> str:
    """The network's own words from a JSON error body, else the status."""
    words: list[str] = []
    try:
        parsed = json.loads(body[:20_000])
    except (ValueError, UnicodeDecodeError):
        parsed = None
    if isinstance(parsed, dict):
        for key in ("error", "message", "error_description", "reason"):
            value = parsed.get(key)
            if isinstance(value, str) and value not in words:
                words.append(value)
    text = clean_reason(": ".join(words)) if words else None
    return f"HTTP {status}: {text}" if text else f"HTTP {status}"
