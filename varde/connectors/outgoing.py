"""One POST of a signed message to an address a person typed (a CRM, a webhook receiver).

Shared by the leads' CRM hand-off and the notification path's webhook channel. The address
passes the SSRF guard (:mod:`varde.connectors.ssrf`) before the try and again on every
connection (:class:`varde.connectors.http.AddressGuard`), never through an environment proxy;
redirects are not followed, and each try is bounded in time and in how much of the answer is
read (only its start, for the error shown).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import httpx
from django.utils.translation import gettext as _

from varde.connectors import http as connector_http
from varde.connectors import ssrf

TIMEOUT = httpx.Timeout(10.0, connect=5.0, pool=5.0)
MAX_ANSWER_BYTES = 16 * 1024
_HTTP_OK_FROM, _HTTP_OK_UNTIL = 200, 300


def refusal(url: str, *, allow_private: bool, resolver: ssrf.Resolver) -> str:
    """Why Varde will not send to ``url`` (translated), or "" when it may."""
    try:
        ssrf.check_url(url, allow_private=allow_private, resolver=resolver)
    except ssrf.UnsafeURLError as error:
        return _("Varde will not send to this address: %(reason)s") % {"reason": error}
    return ""


def _client(*, allow_private: bool, resolver: ssrf.Resolver) -> httpx.Client:
    if allow_private:
        return connector_http.build_client(timeout=TIMEOUT, trust_env=False)
    return httpx.Client(
        headers={"User-Agent": connector_http.USER_AGENT},
        timeout=TIMEOUT,
        transport=connector_http.guarded_transport(resolver=resolver),
        follow_redirects=False,
        trust_env=False,
    )


def _read_start(chunks: Iterator[bytes]) -> bytes:
    kept = b""
    for chunk in chunks:
        kept += chunk
        if len(kept) >= MAX_ANSWER_BYTES:
            break
    return kept[:MAX_ANSWER_BYTES]


def post(
    url: str,
    body: str,
    headers: Mapping[str, str],
    *,
    allow_private: bool,
    resolver: ssrf.Resolver = ssrf.system_resolver,
) -> tuple[int | None, str]:
    """One POST; returns the status (None when there was no answer) and an error, or ""."""
    refused = refusal(url, allow_private=allow_private, resolver=resolver)
    if refused:
        return None, refused
    try:
        with (
            _client(allow_private=allow_private, resolver=resolver) as client,
            client.stream("POST", url, content=body.encode(), headers=dict(headers)) as answer,
        ):
            start = _read_start(answer.iter_bytes())
    except (httpx.HTTPError, ssrf.UnsafeURLError) as error:
        return None, f"{type(error).__name__}: {error}"[:500]
    if _HTTP_OK_FROM <= answer.status_code < _HTTP_OK_UNTIL:
        return answer.status_code, ""
    reason = connector_http.clean_reason(start.decode(errors="replace")) or ""
    return answer.status_code, f"HTTP {answer.status_code} {reason}".strip()[:500]
