"""Reading lists and subscribers, and the glue that hands a newsletter its recipients."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from varde.channels import selectors as channel_selectors
from varde.connectors.contracts import PublishRequest, Recipient
from varde.newsletter.choices import SubscriberStatus
from varde.newsletter.models import Subscriber, SubscriberList
from varde.newsletter.tokens import read_unsubscribe_token, unsubscribe_token

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.channels.models import ConnectedAccount

NETWORK_KEY = "newsletter"


def lists_of(*, workspace: Workspace) -> QuerySet[SubscriberList]:
    return (
        SubscriberList.objects.filter(workspace=workspace)
        .select_related("channel")
        .annotate(
            confirmed=Count(
                "subscribers", filter=Q(subscribers__status=SubscriberStatus.CONFIRMED)
            ),
            pending=Count("subscribers", filter=Q(subscribers__status=SubscriberStatus.PENDING)),
        )
    )


@dataclasses.dataclass(frozen=True)
class ListSummary:
    """A newsletter channel's list as other pages show it (the channels page)."""

    list_id: int
    name: str
    confirmed: int
    pending: int


def list_summaries_by_channel(
    *, workspace: Workspace, channel_ids: list[int]
) -> dict[int, ListSummary]:
    """The lists of these newsletter channels with their subscriber counts, by channel id, in
    one query; a channel without a list is left out."""
    if not channel_ids:
        return {}
    found = lists_of(workspace=workspace).filter(channel_id__in=channel_ids)
    return {
        found_list.channel_id: ListSummary(
            list_id=found_list.pk,
            name=found_list.name,
            confirmed=found_list.confirmed,  # type: ignore[attr-defined]
            pending=found_list.pending,  # type: ignore[attr-defined]
        )
        for found_list in found
    }


def list_get(*, workspace: Workspace, list_id: int) -> SubscriberList:
    return SubscriberList.objects.select_related("channel").get(workspace=workspace, pk=list_id)


def channels_without_list(*, workspace: Workspace) -> list[ConnectedAccount]:
    return list(
        channel_selectors.channels_in(workspace=workspace).filter(
            connector_key=NETWORK_KEY, newsletter_list__isnull=True
        )
    )


def subscribers_of(*, subscriber_list: SubscriberList, status: str = "") -> QuerySet[Subscriber]:
    found = Subscriber.objects.filter(
        workspace=subscriber_list.workspace, subscriber_list=subscriber_list
    )
    return found.filter(status=status) if status else found


def public_url(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


def unsubscribe_url(subscriber: Subscriber) -> str:
    token = unsubscribe_token(str(subscriber.public_id))
    return public_url(reverse("newsletter_public:unsubscribe", kwargs={"token": token}))


def subscriber_by_unsubscribe_token(token: str) -> Subscriber | None:
    public_id = read_unsubscribe_token(token)
    if public_id is None:
        return None
    try:
        return (
            Subscriber.objects.select_related("subscriber_list", "workspace")
            .filter(public_id=public_id)
            .first()
        )
    except ValidationError:  # signed, but not a UUID: nothing we made
        return None


def recipients_for_channel(channel: ConnectedAccount) -> tuple[Recipient, ...]:
    """The confirmed subscribers of the channel's list, read now: someone who unsubscribed
    a minute ago is not in it."""
    confirmed = Subscriber.objects.filter(
        workspace_id=channel.workspace_id,
        subscriber_list__channel=channel,
        status=SubscriberStatus.CONFIRMED,
    ).order_by("id")
    return tuple(
        Recipient(
            address=s.email,
            key=s.public_id.hex,
            name=s.name,
            unsubscribe_url=unsubscribe_url(s),
        )
        for s in confirmed.iterator()
    )


def with_recipients(request: PublishRequest, *, channel: ConnectedAccount) -> PublishRequest:
    """What the publishing engine calls before sending: a newsletter channel's request gets
    its list's confirmed subscribers; any other channel's request is returned as it is."""
    if channel.connector_key != NETWORK_KEY:
        return request
    return dataclasses.replace(request, recipients=recipients_for_channel(channel))
