"""SMTP for the newsletter: open a session, secure it, log in, send one message, and say
what every reply means as a typed connector error.

SMTP answers each step with a three-digit reply (RFC 5321 §4.2): 2xx done, 4xx "not now,
try again", 5xx "no". Whether a failure concerns one recipient or the whole send depends on
the step that failed, so :func:`send_one` reports the step:

- greeting, EHLO, STARTTLS: 4xx ``Transient``, 5xx ``Rejected``;
- AUTH: 454 ``Transient``; 535/530 ``AuthExpired`` (a new password is needed); others
  (534 mechanism too weak, 538 encryption required) ``Rejected``;
- MAIL FROM and DATA: 4xx ``SessionTroubleError`` (reconnect and send this message again),
  5xx ``WholeRefusalError`` (the sender or the content is refused, for everyone);
- RCPT TO: 4xx ``RecipientDeferredError`` (try this address again later), 5xx
  ``RecipientRefusedError`` (this address only; go on with the others);
- the connection lost during DATA: ``LostError``: the server may have taken the message.

A 4xx reply whose text says the server is throttling (enhanced code 4.7.x with "rate",
"too many", "limit") is ``RateLimited``: SMTP has no Retry-After, so ``retry_after`` is None
and the engine backs off.

The server's host is a person's input, so it goes through the SSRF guard
(``connectors/ssrf.py``) like any user-given URL: resolved once, refused when any address is
not public, and the connection made to exactly the address that was checked (TLS still
verifies the name). Everything that goes wrong before a real SMTP reply (refused, reset,
closed, timed out, not speaking SMTP, TLS failing) is one neutral message: otherwise the
form that tests a mail server would tell an open port from a closed one, a port scanner for
anyone with an account. The detail goes to the server log for the operator.
"""

from __future__ import annotations

import logging
import re
import smtplib
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from email.policy import SMTP, SMTPUTF8

from varde.connectors import ssrf
from varde.connectors.errors import (
    AuthExpired,
    ConnectorError,
    RateLimited,
    Rejected,
    Transient,
)

logger = logging.getLogger(__name__)

SECURITY_CHOICES = ("starttls", "ssl", "none")
_THROTTLE = re.compile(r"\b4\.7\.\d+\b.*(rate|too many|limit|throttl)|rate limit|too many", re.I)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # one of SECURITY_CHOICES
    username: str = ""
    password: str = field(default="", repr=False)
    timeout: float = 30.0
    # Refuse hosts that resolve to private, loopback or link-local addresses (SSRF guard).
    guarded: bool = True
    # The checked address to connect to; empty means "resolve ``host``" (unguarded only).
    address: str = ""


SmtpFactory = Callable[[SmtpSettings], smtplib.SMTP]


def _text(message: bytes | str) -> str:
    if isinstance(message, bytes):
        return message.decode("utf-8", "replace").strip()
    return str(message).strip()


def reply_error(code: int, message: bytes | str, *, what: str) -> ConnectorError:
    """The typed error for an SMTP reply ``code`` to the step described by ``what``."""
    reason = f"{what}: {code} {_text(message)}".strip()
    if 400 <= code < 500:
        if _THROTTLE.search(_text(message)):
            return RateLimited(reason, retry_after=None, status=code)
        return Transient(reason, status=code)
    if code in (530, 535):
        return AuthExpired(reason, status=code)
    return Rejected(reason, status=code, code=f"smtp_{code}")


def _network_error(error: OSError, *, what: str) -> ConnectorError:
    """One message for every failure before a real SMTP reply, so open, closed and filtered
    ports, or a service that is not SMTP, look the same to the person who typed the host."""
    logger.warning("%s: no SMTP session: %r", what, error)
    return Transient(
        f"{what}: no mail server answered. Check the server name, the port and the security "
        "setting (SSL, STARTTLS or none), and that the server's certificate is valid."
    )


class _PinnedSMTP(smtplib.SMTP):
    """SMTP to the address the guard checked, while TLS still verifies the host name."""

    def __init__(self, settings: SmtpSettings) -> None:
        self._pinned = settings.address
        super().__init__(settings.host, settings.port, timeout=settings.timeout)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        return socket.create_connection((self._pinned or host, port), timeout)


class _PinnedSMTPSSL(smtplib.SMTP_SSL, _PinnedSMTP):
    """SMTP over TLS from the first byte (port 465), to the checked address."""

    def __init__(self, settings: SmtpSettings) -> None:
        self._pinned = settings.address
        smtplib.SMTP_SSL.__init__(
            self,
            settings.host,
            settings.port,
            timeout=settings.timeout,
            context=ssl.create_default_context(),
        )


def default_factory(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.security == "ssl":
        return _PinnedSMTPSSL(settings)
    return _PinnedSMTP(settings)


def checked(settings: SmtpSettings, resolver: ssrf.Resolver = ssrf.system_resolver) -> SmtpSettings:
    """``settings`` with the address to connect to, after the SSRF guard approved it."""
    if not settings.guarded:
        return settings
    what = f"The mail server {settings.host}:{settings.port}"
    try:
        addresses = ssrf.public_addresses(settings.host, settings.port, resolver=resolver)
    except ssrf.UnresolvedHostError as error:
        raise Transient(f"{what}: the mail server's name could not be looked up") from error
    except ssrf.UnsafeURLError as error:
        msg = (
            f"{what}: Varde does not send mail through servers on private, local or reserved "
            "addresses. Give the public name of your mail server."
        )
        raise Rejected(msg, code="smtp_private_address") from error
    return replace(settings, address=addresses[0])


def open_session(
    settings: SmtpSettings,
    factory: SmtpFactory = default_factory,
    *,
    resolver: ssrf.Resolver = ssrf.system_resolver,
) -> smtplib.SMTP:
    """Check the host (SSRF guard), connect, say EHLO, secure with STARTTLS if asked, and
    log in if a user name is set."""
    what = f"The mail server {settings.host}:{settings.port}"
    settings = checked(settings, resolver)
    try:
        session = factory(settings)
    except smtplib.SMTPConnectError as error:
        if not 400 <= error.smtp_code < 600:  # a greeting that is not SMTP at all
            raise _network_error(error, what=what) from error
        raise reply_error(error.smtp_code, error.smtp_error, what=what) from error
    except OSError as error:
        raise _network_error(error, what=what) from error
    try:
        session.ehlo()
        if settings.security == "starttls":
            if not session.has_extn("starttls"):
                msg = (
                    f"{what} does not offer STARTTLS, so the password would travel unencrypted. "
                    "Choose SSL or check the server's port."
                )
                raise Rejected(msg, code="smtp_no_tls")
            session.starttls(context=ssl.create_default_context())
            session.ehlo()
        if settings.username:
            session.login(settings.username, settings.password)
    except smtplib.SMTPNotSupportedError as error:
        close(session)
        msg = f"{what} does not offer login (AUTH) on this connection; check the security setting."
        raise Rejected(msg, code="smtp_no_auth") from error
    except smtplib.SMTPResponseException as error:
        close(session)
        step = "refused the login" if settings.username else "refused the connection"
        raise reply_error(error.smtp_code, error.smtp_error, what=f"{what} {step}") from error
    except (smtplib.SMTPException, OSError) as error:
        close(session)
        if isinstance(error, OSError):
            raise _network_error(error, what=what) from error
        raise Transient(f"{what}: {error}") from error
    except ConnectorError:
        close(session)
        raise
    return session


def close(session: smtplib.SMTP | None) -> None:
    """Say QUIT politely; a server that is already gone is fine."""
    if session is None:
        return
    try:
        session.quit()
    except (smtplib.SMTPException, OSError):
        session.close()


# What can happen to one message -----------------------------------------------------------


class SendProblemError(Exception):
    def __init__(self, error: ConnectorError) -> None:
        super().__init__(error.message)
        self.error = error


class RecipientRefusedError(SendProblemError):
    """5xx to RCPT TO: this address cannot get mail (no such mailbox, say). Go on."""


class RecipientDeferredError(SendProblemError):
    """4xx to RCPT TO: this address cannot get mail right now (greylisting, a full box)."""


class SessionTroubleError(SendProblemError):
    """The session failed before the message was accepted: reconnect and send it again."""


class WholeRefusalError(SendProblemError):
    """5xx to MAIL FROM or DATA: the sender or the content is refused, for everyone."""


class LostError(SendProblemError):
    """The connection broke during DATA: the server may or may not have taken the message."""


def _needs_smtputf8(address: str) -> bool:
    return not address.isascii()


def send_one(session: smtplib.SMTP, *, sender: str, message: EmailMessage, to: str) -> None:
    """Send ``message`` to one address, step by step, so a failure names its step."""
    options: list[str] = []
    policy = SMTP
    if _needs_smtputf8(to) or _needs_smtputf8(sender):
        if not session.has_extn("smtputf8"):
            reason = f"{to}: the mail server cannot deliver to addresses with non-ASCII letters"
            raise RecipientRefusedError(Rejected(reason, code="smtp_utf8"))
        options, policy = ["SMTPUTF8"], SMTPUTF8
    try:
        # Written out before MAIL FROM: a message that cannot be serialised concerns this
        # recipient only and must not leave a half-open transaction behind.
        payload = message.as_bytes(policy=policy)
    except (ValueError, TypeError, UnicodeError) as unwritable:
        reason = f"{to}: this message could not be written ({unwritable})"
        raise RecipientRefusedError(Rejected(reason, code="bad_header")) from unwritable
    try:
        code, reply = session.mail(sender, options)
        if code != 250:
            _reset(session)
            error = reply_error(code, reply, what="The mail server refused the sender address")
            raise (SessionTroubleError if code < 500 else WholeRefusalError)(error)
        code, reply = session.rcpt(to)
        if code not in (250, 251):
            _reset(session)
            error = reply_error(code, reply, what=f"{to}")
            raise (RecipientDeferredError if code < 500 else RecipientRefusedError)(error)
    except (smtplib.SMTPServerDisconnected, OSError) as error:
        raise SessionTroubleError(
            Transient(f"The connection to the mail server broke: {error}")
        ) from error
    try:
        code, reply = session.data(payload)
    except smtplib.SMTPDataError as error:  # no "354 go ahead": nothing was sent
        _reset(session)
        problem = reply_error(error.smtp_code, error.smtp_error, what="The mail server refused")
        raise (SessionTroubleError if error.smtp_code < 500 else WholeRefusalError)(
            problem
        ) from error
    except (smtplib.SMTPServerDisconnected, OSError) as error:
        reason = f"The connection broke while sending to {to}; it may or may not have arrived"
        raise LostError(Transient(f"{reason} ({error})")) from error
    if code != 250:
        _reset(session)
        refused = reply_error(code, reply, what="The mail server refused the message")
        raise (SessionTroubleError if code < 500 else WholeRefusalError)(refused)


def _reset(session: smtplib.SMTP) -> None:
    try:
        session.rset()
    except (smtplib.SMTPException, OSError):
        session.close()
