"""Telling a post's author what the engine could not do: an audit event and a notification.

The notification goes through the one path (``varde.notifications``): the bell and e-mail, as
the author chose, in the author's language, after the transaction commits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from varde.accounts.services import audit_record
from varde.notifications.services import Message, notify

if TYPE_CHECKING:
    from varde.publishing.models import Delivery

DELIVERY_FAILED = "publishing.delivery_failed"


def tell_author_delivery_failed(*, delivery: Delivery, reason: str) -> None:
    post = delivery.post
    audit_record(
        action="delivery.failed",
        workspace=delivery.workspace,
        target=delivery,
        detail={"post": post.pk, "channel": delivery.channel_id, "reason": reason},
    )
    values = {"channel": delivery.channel.label, "reason": reason, "text": post.text[:500]}
    notify(
        users=[post.author],
        workspace=delivery.workspace,
        kind=DELIVERY_FAILED,
        subject=Message(_("Your post was not published on %(channel)s"), values),
        text=Message(
            _(
                "Varde could not publish your post on %(channel)s.\n\nWhy: %(reason)s\n\n"
                "Open the post in Varde to retry it or change it.\n\n%(text)s"
            ),
            values,
        ),
        url=reverse(
            "publishing:post_status",
            kwargs={"workspace": delivery.workspace.slug, "post_id": post.pk},
        ),
    )
