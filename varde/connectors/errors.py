"""Typed errors: the only way a connector reports failure.

The publishing engine decides what to do from the type alone:

- ``AuthExpired``: refresh or ask the user to reconnect; do not retry blindly.
- ``RateLimited``: retry after ``retry_after`` seconds (or a backoff when None).
- ``Rejected``: the network refused this content or request; show ``reason`` to the author.
- ``Transient``: the request was NOT accepted (5xx, connection refused); safe to retry.
- ``OutcomeUnknown``: the request may have been accepted (a timeout after sending); ask the
  network with ``find_published`` before any retry.
- ``NotSupported``: the connector lacks the capability; a programming or configuration error.

When a multi-part publish (thread, first comment) fails after its head post went out,
``partial`` holds what was published, so nothing already live is sent twice.
"""

from typing import TYPE_CHECKING

# The names without an "Error" suffix (N818) are the vocabulary of ARCHITECTURE.md: they read
# as outcomes (`except RateLimited`), which is how the publishing engine talks about them.

if TYPE_CHECKING:
    from varde.connectors.capabilities import Capability
    from varde.connectors.checks import Problem
    from varde.connectors.contracts import PublishResult


class ConnectorError(Exception):
    """Base of every connector error. ``str(error)`` is a message a person can act on."""

    retryable: bool = False

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        partial: "PublishResult | None" = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.partial = partial


class AuthExpired(ConnectorError):  # noqa: N818
    """The token is expired, revoked or wrong; refresh it or reconnect the account."""


class RateLimited(ConnectorError):  # noqa: N818
    retryable = True

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None,
        status: int | None = 429,
        partial: "PublishResult | None" = None,
    ) -> None:
        super().__init__(message, status=status, partial=partial)
        self.retry_after = retry_after


class Rejected(ConnectorError):  # noqa: N818
    """The network refused the request; ``reason`` is its explanation (the network's own text
    where it gave one), ``code`` what kind of refusal it is. ``problems``: the limits a post
    broke (``checks.Problem``), found before any call; the UI puts them, and the known codes,
    into the reader's language (``varde.content.problem_words``), keeping ``reason`` as the
    detail."""

    def __init__(
        self,
        reason: str,
        *,
        status: int | None = None,
        code: str | None = None,
        partial: "PublishResult | None" = None,
        problems: "tuple[Problem, ...]" = (),
    ) -> None:
        super().__init__(reason, status=status, partial=partial)
        self.reason = reason
        self.code = code
        self.problems = problems


class Transient(ConnectorError):  # noqa: N818
    """The request was not accepted (server error, network down): safe to retry later."""

    retryable = True

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        status: int | None = None,
        partial: "PublishResult | None" = None,
    ) -> None:
        super().__init__(message, status=status, partial=partial)
        self.retry_after = retry_after


class OutcomeUnknown(ConnectorError):  # noqa: N818
    """The request may have been accepted; reconcile with ``find_published`` first."""


class NotSupported(ConnectorError):  # noqa: N818
    def __init__(self, capability: "Capability", connector_key: str) -> None:
        name = capability.name or str(capability)
        super().__init__(f"{connector_key} does not support {name.lower().replace('_', ' ')}")
        self.capability = capability
        self.connector_key = connector_key


def with_partial(error: ConnectorError, partial: "PublishResult") -> ConnectorError:
    """Attach what was already published to an error raised mid-thread, keeping its type."""
    error.partial = partial
    return error
