"""The single mapping from HTTP to typed errors, and Retry-After parsing."""

from datetime import UTC, datetime

import httpx
import pytest

from varde.connectors.errors import AuthExpired, OutcomeUnknown, RateLimited, Rejected, Transient
from varde.connectors.http import (
    error_for,
    json_error_reader,
    parse_json,
    parse_time,
    retry_after_seconds,
)

NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
read = json_error_reader("message", code_key="code")


def _now() -> datetime:
    return NOW


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "120"}, 120.0),
        ({"Retry-After": "Wed, 01 Jan 2025 12:01:30 GMT"}, 90.0),
        ({"ratelimit-reset": str(int(NOW.timestamp()) + 45)}, 45.0),  # Bluesky: epoch seconds
        ({"x-ratelimit-reset": "2025-01-01T12:05:00.000Z"}, 300.0),  # Mastodon: ISO 8601
        ({"x-ratelimit-reset": "15"}, 15.0),  # seconds from now
        ({"Retry-After": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after_seconds(headers: dict[str, str], expected: float | None) -> None:
    assert retry_after_seconds(httpx.Headers(headers), now=_now) == expected


def _response(status: int, body: object = None, **kwargs: object) -> httpx.Response:
    request = httpx.Request("POST", "https://network.example/api")
    if body is None:
        return httpx.Response(status, request=request, **kwargs)  # type: ignore[arg-type]
    return httpx.Response(status, json=body, request=request, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "side_effect", "expected"),
    [
        (400, True, Rejected),
        (401, True, AuthExpired),
        (403, False, Rejected),
        (404, False, Rejected),
        (422, True, Rejected),
        (429, True, RateLimited),
        (500, True, Transient),
        (502, True, Transient),
        (503, False, Transient),
        (504, True, OutcomeUnknown),
        (504, False, Transient),
    ],
)
def test_status_mapping(status: int, side_effect: bool, expected: type[Exception]) -> None:
    error = error_for(_response(status), side_effect=side_effect, read_error=read, network="Net")
    assert type(error) is expected


def test_auth_error_codes_on_400() -> None:
    response = _response(400, {"code": "ExpiredToken", "message": "Token has expired"})
    error = error_for(
        response,
        side_effect=True,
        read_error=read,
        network="Net",
        auth_error_codes={"ExpiredToken"},
    )
    assert isinstance(error, AuthExpired)


def test_reason_is_cleaned_and_bounded() -> None:
    response = _response(400, {"message": "bad\x00 thing " + "x" * 1000})
    error = error_for(response, side_effect=True, read_error=read, network="Net")
    assert isinstance(error, Rejected)
    assert "\x00" not in error.reason
    assert len(error.reason) <= 500


def test_parse_json_failure_depends_on_side_effect() -> None:
    response = _response(200, content=b"<html>")
    with pytest.raises(OutcomeUnknown):
        parse_json(response, side_effect=True, network="Net")
    with pytest.raises(Transient):
        parse_json(response, side_effect=False, network="Net")


def test_parse_time_is_always_aware_utc() -> None:
    assert parse_time("2025-01-01T09:00:00") == datetime(2025, 1, 1, 9, tzinfo=UTC)
    assert parse_time("2025-01-01T10:00:00+01:00") == datetime(2025, 1, 1, 9, tzinfo=UTC)
    assert parse_time("2025-01-01T09:00:00.123Z") == datetime(
        2025, 1, 1, 9, 0, 0, 123000, tzinfo=UTC
    )
    assert parse_time("nonsense") is None
    assert parse_time(None) is None
