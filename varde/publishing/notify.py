"""Telling people what the engine could not do: an audit event and an e-mail.

E-mail is the only notification Varde has so far; an in-app notification centre will hook in
here. Mail goes out after the transaction commits, so a rolled-back change tells nobody.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from varde.accounts.services import audit_record

if TYPE_CHECKING:
    from varde.accounts.models import User
    from varde.channels.models import ConnectedAccount
    from varde.publishing.models import Delivery

log = logging.getLogger(__name__)


def _mail_later(user: User | None, subject: str, body: str) -> None:
    if user is None or not user.email:
        return
    address = user.email

    def send() -> None:
        try:
            send_mail(subject, body, None, [address])
        except Exception:  # a mail server outage must not break publishing
            log.exception("Could not e-mail %s about a publishing problem", address)

    transaction.on_commit(send)


def tell_author_delivery_failed(*, delivery: Delivery, reason: str) -> None:
    post = delivery.post
    audit_record(
        action="delivery.failed",
        workspace=delivery.workspace,
        target=delivery,
        detail={"post": post.pk, "channel": delivery.channel_id, "reason": reason},
    )
    author = post.author
    with translation.override((author.language if author else "") or delivery.workspace.language):
        subject = _("Your post was not published on %(channel)s") % {
            "channel": delivery.channel.label
        }
        body = _(
            "Varde could not publish your post on %(channel)s.\n\nWhy: %(reason)s\n\n"
            "Open the post in Varde to retry it or change it.\n\n%(text)s"
        ) % {"channel": delivery.channel.label, "reason": reason, "text": post.text[:500]}
    _mail_later(author, subject, body)


def tell_owner_channel_needs_reconnect(*, channel: ConnectedAccount, error: str) -> None:
    audit_record(
        action="channel.needs_reconnect",
        workspace=channel.workspace,
        target=channel,
        detail={"error": error},
    )
    owner = channel.owner
    with translation.override((owner.language if owner else "") or channel.workspace.language):
        subject = _("Reconnect %(channel)s in Varde") % {"channel": channel.label}
        body = _(
            "%(channel)s refused Varde's access: %(error)s\n\n"
            "Posts for this channel are on hold. Reconnect the account in Varde's channel "
            "settings and they will go out; posts past their late cut-off are marked missed."
        ) % {"channel": channel.label, "error": error}
    _mail_later(owner, subject, body)
