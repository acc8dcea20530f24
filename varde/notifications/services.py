"""Every notification goes through ``notify``: the bell, e-mail, or both, as each person chose,
and a signed webhook per workspace for the kinds that may have one (``webhooks.py``).

Each notification is written in its recipient's language (their own choice, else the
workspace's), so callers pass a ``Message`` — a translatable template and its values — rather
than text already translated for whoever happens to be logged in. E-mail goes out after the
transaction commits, so a rolled-back change tells nobody, and a mail server outage never undoes
the change itself.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from varde.accounts import selectors as account_selectors
from varde.notifications import kinds
from varde.notifications.choices import Reach
from varde.notifications.models import Notification, NotificationPreference
from varde.notifications.webhooks import webhook_queue

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    """A lazily translated template (``gettext_lazy``) with ``%(name)s`` values."""

    template: str | Promise
    values: Mapping[str, object] = field(default_factory=dict)

    def render(self) -> str:
        text = str(self.template)
        return text % dict(self.values) if self.values else text


def language_of(user: User, workspace: Workspace) -> str:
    """The one rule for which language a person is told things in."""
    return user.language or workspace.language


def _members_among(users: Iterable[User | None], workspace: Workspace) -> list[User]:
    """The distinct, active users who are still members of the workspace, in a stable order."""
    wanted = {user.pk: user for user in users if user is not None and user.is_active}
    if not wanted:
        return []
    member_ids = account_selectors.member_user_ids(workspace=workspace, among=wanted)
    return [wanted[pk] for pk in sorted(member_ids)]


def _reach_of(users: list[User], kind: kinds.Kind) -> dict[int, Reach]:
    chosen = dict(
        NotificationPreference.objects.filter(user__in=users, kind=kind.key).values_list(
            "user_id", "reach"
        )
    )
    return {user.pk: Reach(chosen.get(user.pk, kind.default)) for user in users}


@dataclass(frozen=True)
class Attachment:
    """A file sent with an e-mail (a report's PDF)."""

    filename: str
    content: bytes
    mimetype: str = "application/pdf"


def _mail_after_commit(
    address: str, subject: str, body: str, attachments: Sequence[Attachment] = ()
) -> None:
    def send() -> None:
        message = EmailMessage(subject, body, None, [address])
        for attachment in attachments:
            message.attach(attachment.filename, attachment.content, attachment.mimetype)
        try:
            message.send()
        except Exception:  # a mail server outage must not undo or break the change itself
            log.exception("Could not e-mail a notification to %s", address)

    transaction.on_commit(send)


def _mail(
    user: User,
    rendered: str,
    url: str,
    subject: str | None,
    attachments: Sequence[Attachment] = (),
) -> None:
    body = rendered
    if url:
        body += "\n\n" + _("Open it in Varde: %(url)s") % {"url": settings.BASE_URL + url}
    _mail_after_commit(user.email, (subject or rendered.splitlines()[0])[:150], body, attachments)


@transaction.atomic
def mail_outside(
    *, addresses: Iterable[str], subject: str, body: str, attachments: Sequence[Attachment] = ()
) -> int:
    """E-mail people who are not users of Varde (a report's external recipients), by the same
    path as notifications: after the commit, one message each, an outage logged and never
    raised. The caller has checked the addresses and written the text in the language they
    should read. Returns how many messages were queued."""
    queued = 0
    for address in dict.fromkeys(a.strip() for a in addresses if a.strip()):
        _mail_after_commit(address, subject[:150], body, attachments)
        queued += 1
    return queued


@transaction.atomic
def notify(
    *,
    users: Iterable[User | None],
    workspace: Workspace,
    kind: str,
    text: str | Promise | Message,
    url: str = "",
    email: bool = True,
    subject: str | Promise | Message | None = None,
    attachments: Sequence[Attachment] = (),
    data: Mapping[str, object] | None = None,
) -> list[Notification]:
    """Tell each user (members of ``workspace`` only) in the app and by e-mail, as each chose
    for ``kind``; ``email=False`` keeps it to the app whatever they chose. ``subject`` is the
    e-mail's subject when the first line of the text would not do; ``attachments`` go with
    the e-mail only. ``data`` (JSON values) goes to the workspace's webhook for ``kind``, when
    the kind may have one and one is set up."""
    declared = kinds.get(kind)
    if data is not None and declared.webhook:
        webhook_queue(workspace=workspace, kind=kind, data=data)
    message = text if isinstance(text, Message) else Message(text)
    title = subject if subject is None or isinstance(subject, Message) else Message(subject)
    members = _members_among(users, workspace)
    reach = _reach_of(members, declared)
    created = []
    for user in members:
        with translation.override(language_of(user, workspace)):
            rendered = message.render()
            if email and reach[user.pk].by_email and user.email:
                _mail(user, rendered, url, title.render() if title else None, attachments)
        if reach[user.pk].in_app:
            created.append(
                Notification(user=user, workspace=workspace, kind=kind, text=rendered, url=url)
            )
    return Notification.objects.bulk_create(created)


@transaction.atomic
def notifications_mark_read(*, user: User, workspace: Workspace) -> int:
    return Notification.objects.filter(user=user, workspace=workspace, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def notification_preferences_set(*, user: User, choices: Mapping[str, str]) -> int:
    """Store how ``user`` wants to hear of each kind; a kind set to its default keeps no row.
    Returns how many kinds differ from their default afterwards."""
    for key, value in choices.items():
        kind, reach = kinds.get(key), Reach(value)
        if reach == kind.default:
            NotificationPreference.objects.filter(user=user, kind=key).delete()
        else:
            NotificationPreference.objects.update_or_create(
                user=user, kind=key, defaults={"reach": reach}
            )
    return NotificationPreference.objects.filter(user=user).count()
