"""The in-app notification centre: a row per person (the bell), and an e-mail after commit.

Each notification is written in its recipient's language (their own choice, else the
workspace's), so callers pass a ``Message`` — a translatable template and its values — rather
than text already translated for whoever happens to be logged in.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from varde.accounts import selectors as account_selectors
from varde.approvals.models import Notification

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
    return user.language or workspace.language


def _members_among(users: Iterable[User | None], workspace: Workspace) -> list[User]:
    """The distinct, active users who are still members of the workspace, in a stable order."""
    wanted = {user.pk: user for user in users if user is not None and user.is_active}
    if not wanted:
        return []
    member_ids = account_selectors.member_user_ids(workspace=workspace, among=wanted)
    return [wanted[pk] for pk in sorted(member_ids)]


def _mail_after_commit(address: str, subject: str, body: str) -> None:
    def send() -> None:
        try:
            send_mail(subject, body, None, [address])
        except Exception:  # a mail server outage must not undo or break the change itself
            log.exception("Could not e-mail a notification to %s", address)

    transaction.on_commit(send)


@transaction.atomic
def notify(
    *,
    users: Iterable[User | None],
    workspace: Workspace,
    kind: str,
    text: str | Promise | Message,
    url: str = "",
    email: bool = True,
) -> list[Notification]:
    """Tell each user (members of ``workspace`` only) in the app and, unless told not, by mail."""
    message = text if isinstance(text, Message) else Message(text)
    created = []
    for user in _members_among(users, workspace):
        with translation.override(language_of(user, workspace)):
            rendered = message.render()
            if email and user.email:
                body = rendered
                if url:
                    body += "\n\n" + _("Open it in Varde: %(url)s") % {
                        "url": settings.BASE_URL + url
                    }
                _mail_after_commit(user.email, rendered.splitlines()[0][:150], body)
        created.append(
            Notification(user=user, workspace=workspace, kind=kind, text=rendered, url=url)
        )
    return Notification.objects.bulk_create(created)


@transaction.atomic
def notifications_mark_read(*, user: User, workspace: Workspace) -> int:
    return Notification.objects.filter(user=user, workspace=workspace, read_at__isnull=True).update(
        read_at=timezone.now()
    )
