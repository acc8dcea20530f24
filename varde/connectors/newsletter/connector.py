"""E-mail newsletter over SMTP: one message per confirmed subscriber.

The list of people comes in with the request (``PublishRequest.recipients``): the
``newsletter`` app resolves a list's confirmed subscribers at send time, because a connector
never reads the database. Each person gets their own message, with their own unsubscribe
link in the body and in ``List-Unsubscribe`` (RFC 2369) plus ``List-Unsubscribe-Post``
(RFC 8058 one-click).

What SMTP can and cannot tell
-----------------------------
A mail server accepts or refuses each message and then forgets it: there is no way to ask
later whether message X went out. So this connector does not claim ``FIND_PUBLISHED``: an
``unknown`` newsletter delivery is put to a person. It does not claim ``IDEMPOTENCY_KEY``
either. What it does instead:

* the Message-ID carries the delivery's idempotency key (``newsletter_mime.message_id``),
  the same on every try, so a message can be found in the server's log or a mailbox, and
  receivers that drop repeated Message-IDs drop a resend;
* within one ``publish`` call it knows exactly who was accepted, so it never sends twice:
  after the first message is accepted, a failure is no longer retried by the engine (which
  would resend to everyone) but reported with ``partial``: published, with a note that says
  who did not get it and why.

Per-account config (``config_keys``): ``host``, ``port``, ``security`` (starttls | ssl |
none), ``from_address``, ``from_name``, ``reply_to``, ``unsubscribe_mailbox``, ``batch_size``
(messages per connection), ``rate_per_minute`` (0 = as fast as the server takes them),
``allow_private`` (set by the channels app from VARDE_ALLOW_PRIVATE_URLS; without "true" the
host must resolve to public addresses only: the SSRF guard in ``smtp``).
Credentials: the SMTP password as ``access_token``, the user name in ``extra["username"]``
(``login(identifier=user, secret=password)`` checks them against the server).
"""

from __future__ import annotations

import smtplib
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from typing import TYPE_CHECKING, ClassVar

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from varde.connectors import ssrf
from varde.connectors.base import BaseConnector
from varde.connectors.capabilities import Capability
from varde.connectors.checks import ensure_publishable
from varde.connectors.contracts import (
    AccountProfile,
    AuthorizeRedirect,
    Credentials,
    Limits,
    Mention,
    Page,
    PostMetrics,
    PublishRequest,
    PublishResult,
    Recipient,
    TextCounting,
)
from varde.connectors.errors import ConnectorError, NotSupported, OutcomeUnknown, Rejected
from varde.connectors.http import utc_now
from varde.connectors.look import NetworkLook, PreviewShape
from varde.connectors.newsletter import connect, smtp
from varde.connectors.newsletter.mime import Sender, compose, message_id, notice
from varde.connectors.registry import register

if TYPE_CHECKING:
    from varde.connectors.connect import ConnectForms

DEFAULT_PORT = 587
DEFAULT_BATCH = 50
DEFAULT_RATE_PER_MINUTE = 120
# Reconnects after a session failure before giving up on the rest of the list.
MAX_SESSION_FAILURES = 3
# A 4xx to RCPT (greylisting, a full mailbox) is tried once more at the end of the list.
MAX_RECIPIENT_TRIES = 2
_SHOWN = 5


@dataclass(frozen=True)
class Letter:
    address: str
    build: Callable[[datetime], EmailMessage]


@dataclass
class Report:
    """What happened to each message of one send."""

    total: int
    accepted: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # "address: reason"
    lost: list[str] = field(default_factory=list)  # may or may not have arrived
    unsent: list[str] = field(default_factory=list)
    stopped: ConnectorError | None = None
    # Why each address that did not get its message did not: the caller records it per person.
    reasons: dict[str, str] = field(default_factory=dict)

    def refuse(self, address: str, reason: str) -> None:
        self.refused.append(reason)
        self.reasons[address] = reason

    def outcome(self, address: str) -> str:
        """ "" when ``address`` got its message, else why not, in one line."""
        if address in self.accepted:
            return ""
        if address in self.reasons:
            return self.reasons[address]
        if address in self.lost:
            return "The connection broke while sending; the message may or may not have arrived."
        if self.stopped is not None:
            return f"Not sent: {self.stopped.message}"
        return "Not sent."

    @property
    def complete(self) -> bool:
        return not (self.refused or self.lost or self.unsent or self.stopped)

    def summary(self) -> str:
        lines = [f"Sent to {len(self.accepted)} of {self.total} subscribers."]
        if self.refused:
            shown = "; ".join(self.refused[:_SHOWN])
            more = f" and {len(self.refused) - _SHOWN} more" if len(self.refused) > _SHOWN else ""
            lines.append(f"Refused by the mail server: {shown}{more}.")
        if self.lost:
            lines.append(
                f"The connection broke while sending to {', '.join(self.lost[:_SHOWN])}: "
                "those may or may not have arrived."
            )
        if self.stopped is not None:
            lines.append(f"Sending stopped: {self.stopped.message}")
        if self.unsent:
            lines.append(f"{len(self.unsent)} subscribers did not get it and were not retried.")
        return " ".join(lines)


@register
class NewsletterConnector(BaseConnector):
    key: ClassVar[str] = "newsletter"
    label: ClassVar[str] = gettext_noop("E-mail newsletter")
    look: ClassVar[NetworkLook] = NetworkLook(
        description=_(
            "An e-mail to your confirmed subscribers, sent through your own mail server."
        ),
        shape=PreviewShape.EMAIL,
    )
    limits: ClassVar[Limits] = Limits(text_max=None, counting=TextCounting.CODEPOINTS)
    capabilities: ClassVar[Capability] = (
        Capability.TEXT | Capability.APP_PASSWORD | Capability.RECIPIENTS
    )
    config_keys: ClassVar[tuple[str, ...]] = (
        "host",
        "port",
        "security",
        "from_address",
        "from_name",
        "reply_to",
        "unsubscribe_mailbox",
        "batch_size",
        "rate_per_minute",
        "allow_private",
    )
    connect_forms: ClassVar[ConnectForms] = connect.FORMS
    # Tests replace the factory (a fake session); production opens a real socket.
    smtp_factory: smtp.SmtpFactory = staticmethod(smtp.default_factory)
    # How the SMTP host is resolved for the SSRF guard; tests answer with a fixed address.
    resolver: ssrf.Resolver = staticmethod(ssrf.system_resolver)
    monotonic: Callable[[], float] = staticmethod(time.monotonic)

    # -- settings -------------------------------------------------------------------------

    def _int(self, name: str, default: int) -> int:
        raw = str(self.config.get(name) or "").strip()
        if not raw:
            return default
        try:
            return max(0, int(raw))
        except ValueError:
            msg = f"{self.label}: the setting {name!r} must be a whole number, not {raw!r}"
            raise Rejected(msg, code="bad_config") from None

    def smtp_settings(
        self, *, username: str | None = None, password: str | None = None
    ) -> smtp.SmtpSettings:
        security = (self.config.get("security") or "starttls").strip().lower()
        if security not in smtp.SECURITY_CHOICES:
            msg = f"{self.label}: security must be one of {', '.join(smtp.SECURITY_CHOICES)}"
            raise Rejected(msg, code="bad_config")
        if username is None:
            creds = self._creds()
            username, password = creds.extra.get("username", ""), creds.access_token
        return smtp.SmtpSettings(
            host=self._config("host"),
            port=self._int("port", DEFAULT_PORT),
            security=security,
            username=username,
            password=password or "",
            # Unlike the HTTP connectors, guarded unless told otherwise: the host is always
            # a person's input, and ``allow_private`` comes only from VARDE_ALLOW_PRIVATE_URLS.
            guarded=not self._private_addresses_allowed(),
        )

    def sender(self) -> Sender:
        return Sender(
            address=self._config("from_address"),
            name=self.config.get("from_name", ""),
            reply_to=self.config.get("reply_to", ""),
            unsubscribe_mailbox=self.config.get("unsubscribe_mailbox", ""),
        )

    # -- sending --------------------------------------------------------------------------

    def publish(self, request: PublishRequest) -> PublishResult:
        ensure_publishable(request, self.effective_limits(), self.capabilities, self.key)
        if not request.recipients:
            msg = "The list has no confirmed subscribers, so the newsletter was not sent."
            raise Rejected(msg, code="no_recipients")
        sender = self.sender()
        letters = [
            Letter(r.address, self._builder(request, r, sender))
            for r in _unique(request.recipients)
        ]
        report = self.deliver(letters)
        if not report.accepted:
            raise self._nothing_sent(report)
        result = PublishResult(
            network_post_id=message_id(request.idempotency_key, "list", sender.domain),
            url="",
            published_at=utc_now(),
        )
        if not report.complete:
            # Some people have it: the engine must not send it again to everyone.
            raise Rejected(report.summary(), code="partly_sent", partial=result)
        return result

    @staticmethod
    def _builder(
        request: PublishRequest, recipient: Recipient, sender: Sender
    ) -> Callable[[datetime], EmailMessage]:
        return lambda now: compose(request, recipient, sender, now=now)

    @staticmethod
    def _nothing_sent(report: Report) -> ConnectorError:
        if report.lost:
            return OutcomeUnknown(report.summary())
        if report.stopped is not None:
            return report.stopped
        return Rejected(report.summary(), code="all_refused")

    def send_notices(self, notices: Iterable[tuple[str, EmailMessage]]) -> Report:
        """Send ready-made messages (opt-in confirmations), each ``(address, message)``."""
        return self.deliver([Letter(address, _ready(message)) for address, message in notices])

    def notice(
        self, *, to_address: str, to_name: str, subject: str, text: str, message_key: str
    ) -> EmailMessage:
        return notice(
            to_address=to_address,
            to_name=to_name,
            subject=subject,
            text=text,
            sender=self.sender(),
            message_key=message_key,
            now=utc_now(),
        )

    def deliver(self, letters: Sequence[Letter]) -> Report:
        """Send each letter once, over as few connections as the batch size allows, no
        faster than the rate; reconnect after a session failure, at most a few times."""
        rate = self._int("rate_per_minute", DEFAULT_RATE_PER_MINUTE)
        outbox = _Outbox(
            settings=self.smtp_settings(),
            factory=self.smtp_factory,
            sender=self._config("from_address"),
            batch=self._int("batch_size", DEFAULT_BATCH) or DEFAULT_BATCH,
            interval=60.0 / rate if rate else 0.0,
            sleep=self.sleep,
            monotonic=self.monotonic,
            resolver=self.resolver,
        )
        return outbox.run(letters)

    # -- connecting -------------------------------------------------------------------------

    def login(self, *, identifier: str, secret: str) -> Credentials:
        """Check the user name and password (and host, port, TLS) by logging in once."""
        self.sender()  # a missing from address fails here, before anything is stored
        settings = self.smtp_settings(username=identifier, password=secret)
        smtp.close(smtp.open_session(settings, self.smtp_factory, resolver=self.resolver))
        return Credentials(access_token=secret, extra={"username": identifier})

    def refresh(self) -> Credentials:
        return self._creds()  # an SMTP password does not expire by itself

    def get_account(self) -> AccountProfile:
        sender = self.sender()
        return AccountProfile(
            network_id=sender.address,
            handle=sender.address,
            display_name=sender.name or sender.address,
            url=f"mailto:{sender.address}",
        )

    # -- everything e-mail cannot do ------------------------------------------------------

    def find_published(self, request: PublishRequest, *, since: datetime) -> PublishResult | None:
        # SMTP has no read-back: see the module docstring.
        raise NotSupported(Capability.FIND_PUBLISHED, self.key)

    def authorize_url(self, *, redirect_uri: str, state: str) -> AuthorizeRedirect:
        raise NotSupported(Capability.OAUTH, self.key)

    def exchange_code(self, *, code: str, redirect_uri: str) -> Credentials:
        raise NotSupported(Capability.OAUTH, self.key)

    def delete(self, network_post_id: str) -> None:
        raise NotSupported(Capability.DELETE, self.key)  # sent mail cannot be recalled

    def fetch_mentions(self, *, cursor: str | None) -> Page[Mention]:
        raise NotSupported(Capability.MENTIONS, self.key)

    def fetch_metrics(self, network_post_ids: Sequence[str]) -> tuple[PostMetrics, ...]:
        raise NotSupported(Capability.METRICS, self.key)  # no tracking pixels, by design

    def reply(self, *, to: str, text: str, idempotency_key: str) -> PublishResult:
        raise NotSupported(Capability.REPLY, self.key)

    def hide(self, comment_id: str) -> None:
        raise NotSupported(Capability.HIDE, self.key)

    def unhide(self, comment_id: str) -> None:
        raise NotSupported(Capability.HIDE, self.key)


class _Outbox:
    """One send: the queue, the open session, and what happened to each letter."""

    def __init__(
        self,
        *,
        settings: smtp.SmtpSettings,
        factory: smtp.SmtpFactory,
        sender: str,
        batch: int,
        interval: float,
        sleep: Callable[[float], None],
        monotonic: Callable[[], float],
        resolver: ssrf.Resolver,
    ) -> None:
        self.settings, self.factory, self.sender = settings, factory, sender
        self.resolver = resolver
        self.batch, self.interval = batch, interval
        self.sleep, self.monotonic = sleep, monotonic
        self.session: smtplib.SMTP | None = None
        self.in_session = self.failures = 0
        self.last_sent: float | None = None

    def run(self, letters: Sequence[Letter]) -> Report:
        report = Report(total=len(letters))
        queue = deque((letter, 1) for letter in letters)
        try:
            while queue and report.stopped is None:
                if self.session is None and not self._connect(report):
                    continue
                letter, tries = queue.popleft()
                self._throttle()
                self._send(letter, tries, queue, report)
        finally:
            self._hang_up()
        report.unsent += [letter.address for letter, _ in queue]
        return report

    def _connect(self, report: Report) -> bool:
        try:
            self.session = smtp.open_session(self.settings, self.factory, resolver=self.resolver)
        except ConnectorError as error:
            self._failed(error, report)
            return False
        self.in_session = 0
        return True

    def _failed(self, error: ConnectorError, report: Report) -> None:
        # Before anything was accepted the engine may retry the whole send later, with its
        # own backoff; after, only this call knows who has it, so it tries a little itself.
        self.failures += 1
        if not error.retryable or not report.accepted or self.failures > MAX_SESSION_FAILURES:
            report.stopped = error
        else:
            self.sleep(2.0**self.failures)

    def _throttle(self) -> None:
        if self.last_sent is not None and self.interval:
            wait = self.interval - (self.monotonic() - self.last_sent)
            if wait > 0:
                self.sleep(wait)

    def _hang_up(self) -> None:
        smtp.close(self.session)
        self.session = None

    def _send(
        self, letter: Letter, tries: int, queue: deque[tuple[Letter, int]], report: Report
    ) -> None:
        assert self.session is not None  # noqa: S101  (run() connects first)
        try:
            message = _built(letter)
            smtp.send_one(self.session, sender=self.sender, message=message, to=letter.address)
        except smtp.RecipientRefusedError as problem:
            report.refuse(letter.address, problem.error.message)
        except smtp.RecipientDeferredError as problem:
            if tries < MAX_RECIPIENT_TRIES:
                queue.append((letter, tries + 1))
            else:
                report.refuse(letter.address, problem.error.message)
        except smtp.WholeRefusalError as problem:
            report.stopped = problem.error
            report.unsent.append(letter.address)
            return
        except smtp.LostError:
            report.lost.append(letter.address)
            self._hang_up()
        except smtp.SessionTroubleError as problem:
            queue.appendleft((letter, tries))
            self._hang_up()
            self._failed(problem.error, report)
            return
        else:
            report.accepted.append(letter.address)
            self.failures = 0
        self.last_sent = self.monotonic()
        self.in_session += 1
        if self.in_session >= self.batch:
            self._hang_up()


def _built(letter: Letter) -> EmailMessage:
    """The letter's message, or this one recipient refused when it cannot be built.

    The email package refuses a header it cannot write safely (an address with a line break,
    say); that is one bad recipient, never a reason to stop the send for everyone after it."""
    try:
        message = letter.build(utc_now())
    except (ValueError, TypeError, UnicodeError) as error:
        reason = f"{letter.address!r}: this message could not be written ({error})"
        raise smtp.RecipientRefusedError(Rejected(reason, code="bad_header")) from error
    return message


def _ready(message: EmailMessage) -> Callable[[datetime], EmailMessage]:
    return lambda now: message


def _unique(recipients: Iterable[Recipient]) -> list[Recipient]:
    """Each address once, whatever the caller passed."""
    seen: set[str] = set()
    unique = []
    for recipient in recipients:
        folded = recipient.address.strip().lower()
        if folded not in seen:
            seen.add(folded)
            unique.append(recipient)
    return unique
