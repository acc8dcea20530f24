"""Thank new followers: a short, named thank-you per new follower, proposed for a person to
send or skip. Varde never sends one on its own.

A proposal is varied, not a form letter: several wordings in bokmål and English, picked by the
follower's name (a stable hash, so the page does not reshuffle between loads), never the same
wording twice in a row (nor the wording of the last thank-you sent), greeted by the time of day
they followed, with a word about what they wrote to us lately when they did. The language is
the one they wrote in, else the workspace's. It is signed by the person who sends it, and goes
through ``reply_send`` like any reply: a private message where the network has them, else a
public post that mentions them; where the network has neither, the page says so.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from varde.accounts.services import audit_record
from varde.inbox.choices import (
    ConversationState,
    ItemKind,
    ReplyMode,
    ReplyStatus,
    ThanksOutcome,
)
from varde.inbox.models import Conversation, FollowerThanks, InboxItem
from varde.inbox.services.conversations import conversation_set_state
from varde.inbox.services.replies import (
    ReplyBlockedError,
    reply_modes,
    reply_send,
    signature_for,
    signed,
    with_mention,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from varde.accounts.models import User, Workspace
    from varde.connectors.base import Connector
    from varde.inbox.models import Reply

# Content, not interface: the words sent to the follower, in their language whatever the
# language of the person sending. {greeting} and {first_name} are filled in; {extra} is a
# sentence about what they wrote lately, or a weekend wish, or nothing.
WORDINGS: dict[str, tuple[tuple[str, str], ...]] = {
    "nb": (
        ("nb-1", "Hei {first_name}, så hyggelig at du følger oss! {extra}"),
        ("nb-2", "Takk for følget, {first_name}! {extra}"),
        (
            "nb-3",
            "{greeting}, {first_name}! Velkommen – si fra hva du vil se mer av. {extra}",
        ),
        ("nb-4", "Velkommen, {first_name}! Fint å ha deg med. {extra}"),
        ("nb-5", "{first_name}, takk for at du henger med oss her! {extra}"),
    ),
    "en": (
        ("en-1", "Hi {first_name}, lovely to have you following us! {extra}"),
        ("en-2", "Thanks for the follow, {first_name}! {extra}"),
        (
            "en-3",
            "{greeting}, {first_name}! Welcome – tell us what you want more of. {extra}",
        ),
        ("en-4", "Welcome, {first_name}! Glad you are here. {extra}"),
        ("en-5", "{first_name}, thank you for following along! {extra}"),
    ),
}
GREETINGS = {
    "nb": {"morning": "God morgen", "day": "Hei", "evening": "God kveld"},
    "en": {"morning": "Good morning", "day": "Hi", "evening": "Good evening"},
}
ABOUT_POST = {
    "nb": "Takk også for det du skrev om «{snippet}».",
    "en": "And thank you for what you wrote about “{snippet}”.",
}
WEEKEND = {"nb": "God helg!", "en": "Have a good weekend!"}
NORWEGIAN = {"nb", "nn", "no"}
PAGE_SIZE = 50


@dataclass(frozen=True)
class ThanksProposal:
    conversation: Conversation
    template: str
    text: str
    language: str
    mode: str  # "" where the network offers neither a private message nor a public post
    why_not: str


def _language(recent: InboxItem | None, workspace: Workspace) -> str:
    spoken = (recent.language if recent else "") or ""
    if spoken in NORWEGIAN:
        return "nb"
    if spoken == "en":
        return "en"
    return "nb" if (workspace.language or "nb") in NORWEGIAN else "en"


def _part_of_day(moment: dt.datetime, zone: ZoneInfo) -> tuple[str, bool]:
    local = moment.astimezone(zone)
    part = "morning" if 5 <= local.hour < 10 else "evening" if local.hour >= 17 else "day"
    return part, local.weekday() >= 4


def _snippet(text: str) -> str:
    words = text.split()
    kept: list[str] = []
    for word in words:
        if len(" ".join([*kept, word])) > 40:
            break
        kept.append(word)
    return " ".join(kept) + ("…" if len(kept) < len(words) else "")


def _wording(language: str, handle: str, previous: str) -> tuple[str, str]:
    choices = WORDINGS[language]
    index = zlib.crc32(handle.encode()) % len(choices)
    if choices[index][0] == previous:
        index = (index + 1) % len(choices)
    return choices[index]


def _mode(conversation: Conversation) -> tuple[str, str]:
    modes = reply_modes(conversation)
    for mode in (ReplyMode.PRIVATE, ReplyMode.MENTION):
        if not modes.get(mode, "x"):
            return str(mode), ""
    network = conversation.channel.label if conversation.channel else ""
    return "", _(
        "%(network)s lets Varde send neither a private message nor a public post: thank them "
        "on the network."
    ) % {"network": network}


def _recent_posts(conversations: Sequence[Conversation]) -> dict[tuple[int | None, str], InboxItem]:
    """Each follower's newest item with text on the same channel (what they wrote lately)."""
    handles = {c.author_handle for c in conversations}
    channels = {c.channel_id for c in conversations}
    found: dict[tuple[int | None, str], InboxItem] = {}
    rows = (
        InboxItem.objects.filter(channel_id__in=channels, author_handle__in=handles)
        .exclude(kind=ItemKind.FOLLOW)
        .exclude(text="")
        .order_by("-created_at")[: PAGE_SIZE * 4]
    )
    for item in rows:
        found.setdefault((item.channel_id, item.author_handle), item)
    return found


def last_thanks_template(workspace: Workspace) -> str:
    row = (
        FollowerThanks.objects.filter(workspace=workspace, outcome=ThanksOutcome.SENT)
        .exclude(template="")
        .first()
    )
    return row.template if row else ""


def thanks_propose(
    *, workspace: Workspace, conversations: Sequence[Conversation], user: User
) -> list[ThanksProposal]:
    """One proposal per new follower, in order; no two neighbours share a wording."""
    zone = ZoneInfo(workspace.timezone or "Europe/Oslo")
    recent = _recent_posts(conversations)
    signature = signature_for(workspace=workspace, user=user)
    previous = last_thanks_template(workspace)
    proposals = []
    for conversation in conversations:
        post = recent.get((conversation.channel_id, conversation.author_handle))
        language = _language(post, workspace)
        key, wording = _wording(language, conversation.author_handle, previous)
        previous = key
        part, weekend = _part_of_day(conversation.last_item_at, zone)
        extra = (
            ABOUT_POST[language].format(snippet=_snippet(post.text))
            if post is not None
            else WEEKEND[language]
            if weekend
            else ""
        )
        name = conversation.author_name or conversation.author_handle
        text = wording.format(
            greeting=GREETINGS[language][part],
            first_name=name.split()[0] if name.split() else name,
            extra=extra,
        ).strip()
        mode, why_not = _mode(conversation)
        text = signed(with_mention(conversation, text, mode), signature)
        proposals.append(ThanksProposal(conversation, key, text, language, mode, why_not))
    return proposals


def thanks_send(
    *,
    conversation: Conversation,
    user: User,
    text: str,
    template: str = "",
    connector: Connector | None = None,
) -> Reply:
    """Send a thank-you a person read (and may have edited), through ``reply_send``.

    Raises ``ReplyBlockedError`` as any reply does; a failed send is not counted as thanked,
    so the follower stays on the page with the reason."""
    mode, why_not = _mode(conversation)
    if not mode:
        raise ReplyBlockedError(why_not)
    reply = reply_send(
        conversation=conversation, author=user, text=text, mode=mode, sign=True, connector=connector
    )
    if reply.status == ReplyStatus.SENT:
        _record(conversation, ThanksOutcome.SENT, user, template=template[:20], reply=reply)
    return reply


def thanks_skip(*, conversation: Conversation, user: User) -> None:
    _record(conversation, ThanksOutcome.SKIPPED, user)


@transaction.atomic
def _record(
    conversation: Conversation,
    outcome: str,
    user: User,
    *,
    template: str = "",
    reply: Reply | None = None,
) -> None:
    FollowerThanks.objects.update_or_create(
        conversation=conversation,
        defaults={
            "workspace": conversation.workspace,
            "outcome": outcome,
            "template": template,
            "reply": reply,
            "actor": user,
            "created_at": timezone.now(),
        },
    )
    audit_record(
        action="inbox.follower_thanked"
        if outcome == ThanksOutcome.SENT
        else "inbox.follower_skipped",
        workspace=conversation.workspace,
        actor=user,
        target=conversation,
    )
    # A new follower needs nothing more once thanked or skipped; a message back re-opens it.
    if conversation.state != ConversationState.RESOLVED:
        conversation_set_state(
            conversation=conversation, state=ConversationState.RESOLVED, actor=user
        )
