"""What the audit log says about conversations, moderation, rules and replies in the inbox."""

from __future__ import annotations

import re
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from varde.accounts import audit_sentences as audit
from varde.inbox.choices import (
    AuthorListKind,
    ConversationState,
    ItemKind,
    ModerationKind,
    ReplyMode,
    TriageClass,
)

# Stored labels name ids: "conversation 3 with @kari", "comment 991 on channel 4".
_CONVERSATION = re.compile(r"^conversation \d+ with (?P<person>.*)$")
_ITEM = re.compile(r"^(?P<kind>[a-z]+) ")
_ITEM_WORDS: dict[str, str | Promise] = {
    ItemKind.COMMENT: _("a reply"),
    ItemKind.MENTION: _("a mention"),
    ItemKind.DM: _("a message"),
    ItemKind.FOLLOW: _("a new follower"),
}


def conversation_label(label: str, target_id: str, reading: audit.Reading) -> str:
    found = _CONVERSATION.match(label)
    return (
        gettext("the conversation with %(person)s") % {"person": found["person"]}
        if found
        else label
    )


def item_label(label: str, target_id: str, reading: audit.Reading) -> str:
    found = _ITEM.match(label)
    words = _ITEM_WORDS.get(found["kind"]) if found else None
    return str(words) if words else gettext("something in the inbox")


_AUTHOR_LISTS = {AuthorListKind.VIP: _("VIP list"), AuthorListKind.BLOCK: _("block list")}


def _author_list(raw: Any, reading: audit.Reading) -> str:
    return str(_AUTHOR_LISTS.get(raw, audit.plain(raw, reading)))


def _by_rule(raw: Any, reading: audit.Reading) -> str:
    return gettext("yes")


def register() -> None:
    audit.register_target_label("conversation", conversation_label)
    audit.register_target_label("inboxitem", item_label)
    by_rule = audit.Detail("rule", _("Done by a moderation rule"), _by_rule)
    triage = audit.choice(TriageClass)
    audit.register(
        audit.EventKind(
            "inbox.state",
            _("%(actor)s marked %(target)s as %(to)s."),
            details=(audit.Detail("until", _("Until"), audit.moment),),
            values={"to": audit.choice(ConversationState)},
        ),
        audit.EventKind(
            "inbox.business_hours_changed",
            _("%(actor)s changed the business hours of the inbox."),
            details=(
                audit.Detail("opens", _("Opens")),
                audit.Detail("closes", _("Closes")),
                audit.Detail("public_holidays_off", _("Closed on public holidays")),
            ),
        ),
        audit.EventKind("inbox.assigned", _("%(actor)s assigned %(target)s."), details=(by_rule,)),
        audit.EventKind(
            "inbox.labelled",
            _("%(actor)s changed the labels of %(target)s."),
            details=(audit.Detail("label", _("Label")), audit.Detail("added", _("Added")), by_rule),
        ),
        audit.EventKind(
            "inbox.from_listening",
            _("%(actor)s brought a listening mention into the inbox as %(target)s."),
        ),
        audit.EventKind(
            "inbox.hidden",
            _("%(actor)s hid %(target)s on the network."),
            details=(audit.Detail("class", _("Class"), triage), by_rule),
        ),
        audit.EventKind(
            "inbox.hide_refused",
            _("Varde refused to hide %(target)s."),
            details=(audit.Detail("reason", _("Why")), by_rule),
        ),
        audit.EventKind(
            "inbox.hide_failed",
            _("%(target)s could not be hidden on the network."),
            details=(audit.Detail("reason", _("Why")), by_rule),
        ),
        audit.EventKind(
            "inbox.reviewed", _("%(actor)s marked %(target)s as reviewed."), details=(by_rule,)
        ),
        audit.EventKind(
            "inbox.escalated",
            _("%(actor)s escalated %(target)s."),
            details=(audit.Detail("note", _("Note")), by_rule),
        ),
        audit.EventKind(
            "inbox.undone",
            _("%(actor)s undid “%(undid)s” on %(target)s."),
            values={"undid": audit.choice(ModerationKind)},
        ),
        audit.EventKind(
            "inbox.class_corrected",
            _("%(actor)s changed the class of %(target)s from %(from)s to %(to)s."),
            values={"from": triage, "to": triage},
        ),
        audit.EventKind("inbox.rule_saved", _("%(actor)s saved the moderation rule “%(target)s”.")),
        audit.EventKind(
            "inbox.rule_enabled", _("%(actor)s turned on the moderation rule “%(target)s”.")
        ),
        audit.EventKind(
            "inbox.rule_disabled", _("%(actor)s turned off the moderation rule “%(target)s”.")
        ),
        audit.EventKind(
            "inbox.rule_deleted", _("%(actor)s deleted the moderation rule “%(target)s”.")
        ),
        audit.EventKind(
            "inbox.author_listed",
            _("%(actor)s put @%(handle)s on the %(kind)s."),
            values={"kind": _author_list},
        ),
        audit.EventKind(
            "inbox.author_unlisted",
            _("%(actor)s took @%(handle)s off the %(kind)s."),
            values={"kind": _author_list},
        ),
        audit.EventKind("inbox.signature_set", _("%(actor)s changed a reply signature.")),
        audit.EventKind("inbox.saved_reply", _("%(actor)s saved the reply “%(target)s”.")),
        audit.EventKind("inbox.saved_reply_deleted", _("%(actor)s deleted a saved reply.")),
        audit.EventKind(
            "inbox.replied",
            _("%(actor)s answered in %(target)s (%(mode)s)."),
            values={"mode": audit.choice(ReplyMode)},
        ),
        audit.EventKind(
            "inbox.reply_failed",
            _("An answer in %(target)s could not be sent."),
            details=(audit.Detail("error", _("What the network said")),),
        ),
        audit.EventKind(
            "inbox.reply_approval_changed",
            _("%(actor)s changed which replies need approval."),
            details=(
                audit.Detail("complaints", _("Replies to complaints")),
                audit.Detail("roles", _("Every reply by these roles")),
            ),
        ),
        audit.EventKind(
            "inbox.reply_proposed",
            _("%(actor)s submitted candidate replies in %(target)s for approval."),
            details=(audit.Detail("candidates", _("Candidates")),),
        ),
        audit.EventKind(
            "inbox.reply_approved",
            _("%(actor)s approved a reply in %(target)s."),
            details=(audit.Detail("edited", _("Edited by the approver")),),
        ),
        audit.EventKind(
            "inbox.reply_refused",
            _("%(actor)s refused the candidate replies in %(target)s."),
            details=(audit.Detail("note", _("Note")),),
        ),
        audit.EventKind("inbox.follower_thanked", _("%(actor)s thanked %(target)s for following.")),
        audit.EventKind(
            "inbox.follower_skipped", _("%(actor)s skipped thanking %(target)s for following.")
        ),
        area=_("Inbox"),
    )
