"""Every change to newsletter lists and subscribers goes through here."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from typing import TYPE_CHECKING, cast

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from varde.accounts.services import audit_record, throttle_allow
from varde.channels.selectors import connector_for
from varde.connectors.errors import ConnectorError
from varde.connectors.newsletter.connector import NewsletterConnector
from varde.connectors.newsletter.mime import header_safe
from varde.newsletter import tokens
from varde.newsletter.choices import SubscriberStatus
from varde.newsletter.models import ConsentSource, Subscriber, SubscriberList
from varde.newsletter.selectors import NETWORK_KEY, public_url

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace
    from varde.channels.models import ConnectedAccount
    from varde.lib.tables import Row

# New addresses a list takes from its public form in an hour. A form that anyone can post
# to could otherwise make the newsletter's own mail server send confirmations to thousands
# of strangers; a real campaign spike stays far below this.
SIGNUPS_PER_HOUR = 200
# A second signup for the same pending address within this time sends no second mail, so
# the public form cannot be used to flood someone's inbox.
RESEND_AFTER = timedelta(minutes=10)
# And at most this many confirmation mails to one address of one list a day, whatever the
# timing of the requests (they may all arrive before the first mail is out).
CONFIRMATIONS_PER_ADDRESS_PER_DAY = 3
IMPORT_MAX_ROWS = 20_000
IMPORT_MAX_BYTES = 5 * 1024 * 1024
# Header names of the two columns, as people write them in English and Norwegian.
EMAIL_HEADERS = ("email", "e-mail", "e-post", "epost")
NAME_HEADERS = ("name", "navn")


def clean_name(value: str) -> str:
    """A subscriber's name as it may go into a To: header: one line, at most 160 characters.

    Names come from the public form and from CSV files; a line break in one would otherwise
    travel into every mail header it is put in."""
    return header_safe(value)[:160]


def normalize_email(value: str) -> str:
    local, _, domain = value.strip().rpartition("@")
    return f"{local}@{domain.lower()}"


@transaction.atomic
def list_create(
    *,
    workspace: Workspace,
    channel: ConnectedAccount,
    name: str,
    description: str = "",
    actor: User | None,
) -> SubscriberList:
    if channel.workspace_id != workspace.pk or channel.connector_key != NETWORK_KEY:
        raise ValidationError(_("Choose a newsletter channel of this workspace."))
    created = SubscriberList.objects.create(
        workspace=workspace, channel=channel, name=name, description=description
    )
    audit_record(action="newsletter.list_created", workspace=workspace, actor=actor, target=created)
    return created


def _enqueue_confirmations(ids: list[int]) -> None:
    if ids:
        from varde.newsletter.tasks import send_confirmations

        transaction.on_commit(lambda: send_confirmations(ids))


def signups_throttled(*, subscriber_list: SubscriberList) -> bool:
    since = timezone.now() - timedelta(hours=1)
    recent = Subscriber.objects.filter(
        Q(created_at__gte=since) | Q(confirm_sent_at__gte=since),
        subscriber_list=subscriber_list,
        consent_source=ConsentSource.FORM,
    )
    return recent.count() >= SIGNUPS_PER_HOUR


@transaction.atomic
def subscriber_signup(
    *, subscriber_list: SubscriberList, email: str, name: str = "", source: str
) -> Subscriber:
    """A person asks to subscribe: pending until they confirm from their inbox.

    The same answer whatever the address's state, so the form does not tell strangers who
    is on the list. A confirmed subscriber stays as they are and gets no mail.
    """
    email = normalize_email(email)
    validate_email(email)
    now = timezone.now()
    subscriber, created = Subscriber.objects.select_for_update().get_or_create(
        subscriber_list=subscriber_list,
        email=email,
        defaults={"workspace": subscriber_list.workspace, "name": clean_name(name)},
    )
    if subscriber.status == SubscriberStatus.CONFIRMED:
        return subscriber
    recently = subscriber.confirm_sent_at and now - subscriber.confirm_sent_at < RESEND_AFTER
    if not created and subscriber.status == SubscriberStatus.PENDING and recently:
        return subscriber
    subscriber.status = SubscriberStatus.PENDING
    subscriber.consent_source = source
    if clean_name(name):
        subscriber.name = clean_name(name)
    subscriber.save()
    if throttle_allow(
        scope="newsletter-confirmation",
        key=f"{subscriber_list.pk}:{email}",
        limit=CONFIRMATIONS_PER_ADDRESS_PER_DAY,
        window=timedelta(days=1),
    ):
        _enqueue_confirmations([subscriber.pk])
    return subscriber


def subscribers_send_confirmation(*, subscriber_ids: Sequence[int]) -> None:
    """Give each pending subscriber a fresh confirmation link and mail it, over one SMTP
    session per list. A mail that fails is recorded on the subscriber, shown in the list."""
    pending = Subscriber.objects.filter(
        pk__in=subscriber_ids, status=SubscriberStatus.PENDING
    ).select_related("subscriber_list__channel", "workspace")
    by_list: dict[int, list[Subscriber]] = {}
    for subscriber in pending:
        by_list.setdefault(subscriber.subscriber_list_id, []).append(subscriber)
    for subscribers in by_list.values():
        _send_confirmations(subscribers)


def _send_confirmations(subscribers: list[Subscriber]) -> None:
    """Mail each subscriber a fresh link; record what happened to each one, one by one.

    A subscriber counts as mailed (``confirm_sent_at``) only once the server accepted their
    message: the signup throttles read that field, and an address that got nothing must be
    able to ask again. One subscriber whose message cannot be written (a name with a line
    break from an old import) is recorded as failed; the others are still sent."""
    subscriber_list = subscribers[0].subscriber_list
    connector = cast(NewsletterConnector, connector_for(subscriber_list.channel))
    notices: list[tuple[str, EmailMessage]] = []
    failed: dict[int, str] = {}
    with translation.override(subscriber_list.workspace.language):
        for subscriber in subscribers:
            try:
                notices.append((subscriber.email, _confirmation(connector, subscriber)))
            except (ConnectorError, ValueError) as error:
                failed[subscriber.pk] = getattr(error, "message", None) or str(error)
    try:
        report = connector.send_notices(notices)
    except ConnectorError as error:
        _record_mail_error(subscribers, error.message)
        return
    now = timezone.now()
    for subscriber in subscribers:
        problem = failed.get(subscriber.pk) or report.outcome(subscriber.email)
        sent = {} if problem else {"confirm_sent_at": now}
        Subscriber.objects.filter(pk=subscriber.pk).update(last_mail_error=problem, **sent)


def _confirmation(connector: NewsletterConnector, subscriber: Subscriber) -> EmailMessage:
    """A confirmation mail with a fresh link; the link's hash is stored before it is sent,
    so the link works the moment the mail arrives."""
    subscriber_list = subscriber.subscriber_list
    raw = tokens.new_confirm_token()
    Subscriber.objects.filter(pk=subscriber.pk).update(confirm_token_hash=tokens.digest(raw))
    link = public_url(
        reverse(
            "newsletter_public:confirm",
            kwargs={"token": tokens.confirm_link_token(str(subscriber.public_id), raw)},
        )
    )
    text = _(
        "Hello,\n\nsomeone (we hope you) asked to get %(list)s at this address. "
        "To confirm, open this link within 7 days:\n\n%(link)s\n\n"
        "If it was not you, ignore this e-mail: you will get nothing more from us."
    ) % {"list": subscriber_list.name, "link": link}
    subject = _("Confirm your subscription to %(list)s") % {"list": subscriber_list.name}
    return connector.notice(
        to_address=subscriber.email,
        to_name=subscriber.name,
        subject=subject,
        text=text,
        message_key=f"confirm-{subscriber.public_id.hex}-{raw[:8]}",
    )


def _record_mail_error(subscribers: list[Subscriber], error: str) -> None:
    Subscriber.objects.filter(pk__in=[s.pk for s in subscribers]).update(last_mail_error=error)


@transaction.atomic
def subscriber_confirm(*, link_token: str) -> Subscriber | None:
    """Confirm from the link in the mail. None when the link is wrong, used or expired."""
    parsed = tokens.read_confirm_link(link_token)
    if parsed is None:
        return None
    public_id, raw = parsed
    subscriber = (
        Subscriber.objects.select_for_update().filter(public_id=public_id).first()
        if _is_uuid(public_id)
        else None
    )
    if subscriber is None or not tokens.token_matches(raw, subscriber.confirm_token_hash):
        return None
    now = timezone.now()
    subscriber.status = SubscriberStatus.CONFIRMED
    subscriber.confirmed_at = now
    subscriber.consent_at = now
    subscriber.confirm_token_hash = ""  # one use
    subscriber.unsubscribed_at = None
    subscriber.save()
    return subscriber


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@transaction.atomic
def subscriber_unsubscribe(*, token: str) -> Subscriber | None:
    public_id = tokens.read_unsubscribe_token(token)
    if public_id is None or not _is_uuid(public_id):
        return None
    subscriber = Subscriber.objects.select_for_update().filter(public_id=public_id).first()
    if subscriber is None:
        return None
    if subscriber.status != SubscriberStatus.UNSUBSCRIBED:
        subscriber.status = SubscriberStatus.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.confirm_token_hash = ""
        subscriber.save()
    return subscriber


@transaction.atomic
def subscriber_remove(*, subscriber: Subscriber, actor: User | None) -> None:
    """Erase a subscriber (a request to be forgotten), recorded in the audit log."""
    audit_record(
        action="newsletter.subscriber_removed",
        workspace=subscriber.workspace,
        actor=actor,
        target=subscriber.subscriber_list,
        detail={"status": subscriber.status},
    )
    subscriber.delete()


@dataclass
class ImportResult:
    added: int = 0
    already: int = 0
    errors: list[str] = field(default_factory=list)


@transaction.atomic
def subscribers_import(
    *,
    subscriber_list: SubscriberList,
    rows: Sequence[Row],
    consent_confirmed: bool,
    actor: User,
) -> ImportResult:
    """Add people from the rows of an uploaded table (``varde.lib.tables.read_rows``: CSV or
    XLSX, read as the calendar's import reads them): a column ``email`` (or ``e-mail``,
    ``e-post``), optionally ``name`` (``navn``); or the address in the first column.

    Without ``consent_confirmed`` they are added as pending and each gets a confirmation
    mail. With it, the person importing states they already have each one's consent: they
    are confirmed at once, and the statement is kept in the audit log.
    """
    result = ImportResult()
    if not rows:
        result.errors.append(_("The file is empty."))
        return result
    header = [cell.strip().lower() for cell in rows[0].cells]
    email_col = next((header.index(n) for n in EMAIL_HEADERS if n in header), None)
    name_col = next((header.index(n) for n in NAME_HEADERS if n in header), None)
    body = rows[1:] if email_col is not None else rows
    email_col = email_col or 0
    now = timezone.now()
    kind = ConsentSource.IMPORT_WITH_CONSENT if consent_confirmed else ConsentSource.IMPORT
    source = ConsentSource.by(kind, actor.email)
    to_confirm: list[int] = []
    for row in body:
        number, cells = row.number, row.cells
        raw = cells[email_col].strip() if len(cells) > email_col else ""
        if not raw:
            continue
        email = normalize_email(raw)
        try:
            validate_email(email)
        except ValidationError:
            result.errors.append(
                _("Line %(n)s: %(value)s is not an e-mail address.") % {"n": number, "value": raw}
            )
            continue
        name = clean_name(cells[name_col]) if name_col is not None and len(cells) > name_col else ""
        subscriber, created = Subscriber.objects.get_or_create(
            subscriber_list=subscriber_list,
            email=email,
            defaults={
                "workspace": subscriber_list.workspace,
                "name": name,
                "consent_source": source,
            },
        )
        if not created:
            result.already += 1
            continue
        result.added += 1
        if consent_confirmed:
            subscriber.status = SubscriberStatus.CONFIRMED
            subscriber.consent_at = subscriber.confirmed_at = now
            subscriber.save()
        else:
            to_confirm.append(subscriber.pk)
    audit_record(
        action="newsletter.imported",
        workspace=subscriber_list.workspace,
        actor=actor,
        target=subscriber_list,
        detail={
            "added": result.added,
            "consent_confirmed_by_importer": consent_confirmed,
            "statement": "I have each person's consent" if consent_confirmed else "",
        },
    )
    _enqueue_confirmations(to_confirm)
    return result
