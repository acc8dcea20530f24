"""One path from httpx responses and exceptions to the typed connector errors.

Every connector sends through :func:`send`, so a 429 or a timeout means the same thing on
every network. The one question a caller must answer is ``side_effect``: would this
request, if the server got it, create something people can see? A lost answer to such a
request is ``OutcomeUnknown`` (never retried blindly); a lost answer to a read is
``Transient``.
"""

import email.utils
import json
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NoReturn

import httpcore
import httpx

from varde.connectors import ssrf
from varde.connectors.errors import (
    AuthExpired,
    ConnectorError,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    Transient,
)

# Explicit everywhere: a stuck network must never hang a worker.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0, pool=5.0)
USER_AGENT = "Varde/0.1 (+https://github.com/varde-social/varde)"
_MAX_REASON = 500
# Above this a numeric reset header is an epoch timestamp, below it a number of seconds.
_EPOCH_THRESHOLD = 1_000_000_000
_HTTP_UNAUTHORIZED = 401
_HTTP_TOO_MANY = 429
_HTTP_GATEWAY_TIMEOUT = 504
_SERVER_ERROR = 500
_REDIRECT = 300
_CLIENT_ERROR = 400
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class ErrorDetail:
    """A network's own explanation of an error: plain words plus its code when it has one."""

    reason: str | None
    code: str | None = None


ErrorReader = Callable[[httpx.Response], ErrorDetail]
Now = Callable[[], datetime]


def build_client(
    *,
    base_url: str = "",
    headers: Mapping[str, str] | None = None,
    timeout: httpx.Timeout = DEFAULT_TIMEOUT,
    transport: httpx.BaseTransport | None = None,
    trust_env: bool = True,
) -> httpx.Client:
    """A client for a network's API. ``trust_env`` lets it use HTTP(S)_PROXY/ALL_PROXY from the
    environment (an installation that reaches the internet through a proxy); a client for a
    host a person typed turns it off (see :func:`guarded_client`)."""
    # Redirects are not followed: a connector talks to known API paths, and following a
    # redirect could lead a user-given URL to an internal address (see ssrf.py).
    return httpx.Client(
        base_url=base_url,
        headers={"User-Agent": USER_AGENT, **(headers or {})},
        timeout=timeout,
        transport=transport,
        follow_redirects=False,
        trust_env=trust_env,
    )


def guarded_client(
    *,
    resolver: ssrf.Resolver = ssrf.system_resolver,
    inner: httpcore.NetworkBackend | None = None,
) -> httpx.Client:
    """The client for hosts a person typed: every connection checked by :class:`AddressGuard`,
    and never through a proxy from the environment.

    A proxy would resolve the host name itself and connect wherever its DNS says, so the guard
    would only ever see the proxy's address and the check would be void. Varde therefore
    connects to such hosts directly. (httpx 0.28 already skips environment proxies when a
    transport is given; ``trust_env=False`` says so outright instead of relying on that.)
    """
    return build_client(
        transport=guarded_transport(resolver=resolver, inner=inner), trust_env=False
    )


class AddressGuard(httpcore.NetworkBackend):
    """The SSRF guard on every new connection, for connectors that call a host a person typed
    (a Bluesky PDS, a Mastodon server, a WordPress site).

    httpcore asks the network backend to open each TCP connection; this one resolves the host
    itself, refuses it unless every address is public (``ssrf.public_addresses``), and connects
    to exactly the addresses it checked, so a DNS answer that changes after the account was
    connected, or between the check and the connection, cannot lead Varde into its own
    network. TLS is still verified against the host name (httpcore passes it as SNI).
    """

    def __init__(
        self,
        *,
        resolver: ssrf.Resolver = ssrf.system_resolver,
        inner: httpcore.NetworkBackend | None = None,
    ) -> None:
        self._resolver = resolver
        self._inner = inner if inner is not None else httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = ssrf.public_addresses(host, port, resolver=self._resolver)
        except ssrf.UnresolvedHostError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        failure: Exception = httpcore.ConnectError(f"{host} could not be reached")
        for address in addresses:
            try:
                return self._inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        raise failure

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        msg = "connections to local sockets are refused"
        raise ssrf.UnsafeURLError(msg)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def guarded_transport(
    *,
    resolver: ssrf.Resolver = ssrf.system_resolver,
    inner: httpcore.NetworkBackend | None = None,
) -> httpx.HTTPTransport:
    """An httpx transport whose every connection goes through :class:`AddressGuard`."""
    transport = httpx.HTTPTransport()
    # httpx has no parameter for the network backend; its connection pool keeps it here
    # (httpx 0.28, httpcore 1.0). test_http checks through a real client that the guard runs.
    transport._pool._network_backend = AddressGuard(resolver=resolver, inner=inner)
    return transport


def utc_now() -> datetime:
    return datetime.now(UTC)


def send(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    side_effect: bool,
    read_error: ErrorReader,
    network: str,
    auth_error_codes: Collection[str] = (),
    accept: Collection[int] = (),
    **kwargs: Any,
) -> httpx.Response:
    """Send one request and return the response, or raise the matching typed error.

    ``accept`` names statuses the caller handles itself (YouTube's ``308 Resume
    Incomplete`` during a resumable upload); they are returned, not raised."""
    try:
        response = client.request(method, url, **kwargs)
    except ssrf.UnsafeURLError as exc:
        # AddressGuard refused the address: nothing was sent, and retrying will not help.
        msg = f"{network}: Varde will not connect to this address: {exc}"
        raise Rejected(msg, code="unsafe_url") from exc
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
        # Nothing reached the server: always safe to retry.
        msg = f"{network} could not be reached ({type(exc).__name__})"
        raise Transient(msg) from exc
    except httpx.TransportError as exc:
        # The request may have arrived; for a write, only the network can tell us now.
        if side_effect:
            msg = (
                f"{network} did not answer in time ({type(exc).__name__}); "
                "the post may or may not have been published"
            )
            raise OutcomeUnknown(msg) from exc
        msg = f"{network} did not answer in time ({type(exc).__name__})"
        raise Transient(msg) from exc
    if response.status_code in accept:
        return response
    check_status(
        response,
        side_effect=side_effect,
        read_error=read_error,
        network=network,
        auth_error_codes=auth_error_codes,
    )
    return response


def check_status(
    response: httpx.Response,
    *,
    side_effect: bool,
    read_error: ErrorReader,
    network: str,
    auth_error_codes: Collection[str] = (),
) -> None:
    status = response.status_code
    if status < _CLIENT_ERROR:
        if status >= _REDIRECT:
            msg = f"{network} answered with a redirect (HTTP {status}), which Varde does not follow"
            raise Rejected(msg, status=status, code="redirect")
        return
    raise error_for(
        response,
        side_effect=side_effect,
        read_error=read_error,
        network=network,
        auth_error_codes=auth_error_codes,
    )


def error_for(
    response: httpx.Response,
    *,
    side_effect: bool,
    read_error: ErrorReader,
    network: str,
    auth_error_codes: Collection[str] = (),
) -> ConnectorError:
    status = response.status_code
    detail = _safe_detail(response, read_error)
    reason = detail.reason or f"HTTP {status} {response.reason_phrase}".strip()
    if status == _HTTP_UNAUTHORIZED or (
        detail.code is not None and detail.code in auth_error_codes
    ):
        return AuthExpired(f"{network}: {reason}", status=status)
    if status == _HTTP_TOO_MANY:
        wait = retry_after_seconds(response.headers)
        return RateLimited(f"{network} rate limit reached: {reason}", retry_after=wait)
    if status >= _SERVER_ERROR:
        if status == _HTTP_GATEWAY_TIMEOUT and side_effect:
            # The gateway gave up waiting for the server, which may still have done the work.
            msg = f"{network} timed out behind its gateway; the post may have been published"
            return OutcomeUnknown(msg, status=status)
        wait = retry_after_seconds(response.headers)
        return Transient(f"{network} had a server error: {reason}", status=status, retry_after=wait)
    return Rejected(reason, status=status, code=detail.code)


def _safe_detail(response: httpx.Response, read_error: ErrorReader) -> ErrorDetail:
    try:
        detail = read_error(response)
    except (ValueError, KeyError, TypeError, AttributeError):
        # An error body we cannot read must not hide the status that came with it.
        return ErrorDetail(reason=None)
    return ErrorDetail(reason=clean_reason(detail.reason), code=detail.code)


def clean_reason(text: str | None) -> str | None:
    """Network text shown to users: no control characters, bounded length."""
    if text is None:
        return None
    text = _CONTROL.sub(" ", str(text)).strip()
    if not text:
        return None
    return text if len(text) <= _MAX_REASON else text[: _MAX_REASON - 1] + "\u2026"


def json_error_reader(*message_keys: str, code_key: str | None = None) -> ErrorReader:
    """Build a reader for the common ``{"<code_key>": ..., "<message_key>": ...}`` shapes."""

    def read(response: httpx.Response) -> ErrorDetail:
        body = response.json()
        if not isinstance(body, dict):
            return ErrorDetail(reason=None)
        parts = [str(body[key]) for key in message_keys if isinstance(body.get(key), str)]
        code = body.get(code_key) if code_key else None
        return ErrorDetail(
            reason=": ".join(dict.fromkeys(parts)) or None,
            code=code if isinstance(code, str) else None,
        )

    return read


def retry_after_seconds(headers: httpx.Headers, *, now: Now = utc_now) -> float | None:
    """Seconds to wait, from ``Retry-After`` (seconds or HTTP date) or a rate-limit reset
    header (epoch seconds, seconds from now, or an ISO 8601 time as Mastodon sends)."""
    retry_after = headers.get("retry-after")
    if retry_after:
        seconds = _parse_wait(retry_after, now=now, http_date=True)
        if seconds is not None:
            return seconds
    for name in ("ratelimit-reset", "x-ratelimit-reset", "x-rate-limit-reset"):
        value = headers.get(name)
        if value:
            seconds = _parse_wait(value, now=now, http_date=False)
            if seconds is not None:
                return seconds
    return None


def _parse_wait(value: str, *, now: Now, http_date: bool) -> float | None:
    value = value.strip()
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is not None:
        if number >= _EPOCH_THRESHOLD and not http_date:
            return max(0.0, number - now().timestamp())
        return max(0.0, number)
    moment = _parse_moment(value, http_date=http_date)
    if moment is None:
        return None
    return max(0.0, (moment - now()).total_seconds())


def _parse_moment(value: str, *, http_date: bool) -> datetime | None:
    if http_date:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            parsed = None
        if parsed is not None:
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_json(response: httpx.Response, *, side_effect: bool, network: str) -> Any:
    """Decode a successful response's JSON body.

    A 2xx answer to a write means the network accepted it; if we cannot read the body we
    do not know the new post's id, so that is ``OutcomeUnknown``, not a failure to retry.
    """
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        if side_effect:
            msg = (
                f"{network} accepted the request but its answer was not valid JSON; "
                "the post was probably published"
            )
            raise OutcomeUnknown(msg, status=response.status_code) from exc
        msg = f"{network} answered with something that is not valid JSON"
        raise Transient(msg, status=response.status_code) from exc


def json_object(response: httpx.Response, *, side_effect: bool, network: str) -> dict[str, Any]:
    body = parse_json(response, side_effect=side_effect, network=network)
    if not isinstance(body, dict):
        _unexpected(response, side_effect=side_effect, network=network, wanted="an object")
    return dict(body)


def json_list(response: httpx.Response, *, side_effect: bool, network: str) -> list[Any]:
    body = parse_json(response, side_effect=side_effect, network=network)
    if not isinstance(body, list):
        _unexpected(response, side_effect=side_effect, network=network, wanted="a list")
    return list(body)


def _unexpected(
    response: httpx.Response, *, side_effect: bool, network: str, wanted: str
) -> NoReturn:
    msg = f"{network} answered with JSON that is not {wanted}"
    if side_effect:
        raise OutcomeUnknown(msg, status=response.status_code)
    raise Transient(msg, status=response.status_code)


def parse_time(value: object) -> datetime | None:
    """An ISO 8601 time from a network, as an aware UTC datetime (None when unreadable)."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        # WordPress `*_gmt` fields and some servers omit the offset; they are UTC.
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
