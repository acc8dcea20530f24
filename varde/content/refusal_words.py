"""Words for the codes connectors give their refusals (``Rejected(reason, code=...)``).

Each sentence says what went wrong and what the reader can do, in the active language; the
network's own text follows it as the detail (``problem_words.error_text``). Every code a
connector raises has a line here: ``content/tests/test_refusal_words.py`` reads the connectors'
source and fails on a code without words.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop


def _say(sentence: str) -> Callable[[str], str]:
    """A sentence marked for the catalogue here (``gettext_noop``) and translated when shown,
    in the reader's language, with ``%(network)s`` filled in."""
    return lambda network: _(sentence) % {"network": network}


REFUSAL_WORDS: dict[str, Callable[[str], str]] = {
    # Where Varde will not go, and the server's set-up.
    "unsafe_url": _say(
        gettext_noop(
            "%(network)s: the address points into a private or local network, which Varde does "
            "not call."
        )
    ),
    "redirect": _say(
        gettext_noop(
            "%(network)s sent Varde on to another address, which Varde does not follow. Check the "
            "address of the channel."
        )
    ),
    "missing_config": _say(
        gettext_noop("%(network)s is not fully set up on this server. Ask whoever runs Varde.")
    ),
    "bad_config": _say(
        gettext_noop(
            "A setting of this %(network)s channel is not valid. Check the channel's settings."
        )
    ),
    "media_url": _say(
        gettext_noop(
            "%(network)s fetches images and videos from a public address, and this Varde has "
            "none. Ask whoever runs Varde to set one."
        )
    ),
    # The post itself.
    "limits": _say(
        gettext_noop("The post does not fit %(network)s's limits. Change it and try again.")
    ),
    "media_failed": _say(
        gettext_noop("%(network)s could not process the file. Try another file or format.")
    ),
    "media_changed": _say(
        gettext_noop("The file changed while it was being sent to %(network)s. Try again.")
    ),
    "video_upload_limit": _say(
        gettext_noop(
            "%(network)s does not take more videos from this account today. Try again tomorrow."
        )
    ),
    "video_failed": _say(
        gettext_noop("%(network)s's video service could not process the video. Try another file.")
    ),
    "video_not_published": _say(
        gettext_noop("%(network)s received the video but did not publish it. Try again later.")
    ),
    "video_service_auth": _say(
        gettext_noop(
            "%(network)s's video service did not accept Varde's sign-in. Reconnect the channel "
            "and try again."
        )
    ),
    "reply_target_missing": _say(
        gettext_noop("The %(network)s post being answered no longer exists.")
    ),
    "bad_id": _say(gettext_noop("Varde does not recognise this as a %(network)s post.")),
    # Hiding and showing replies.
    "comment_missing": _say(
        gettext_noop(
            "This reply no longer exists on %(network)s, so there is nothing to hide or show."
        )
    ),
    "not_a_reply": _say(
        gettext_noop("On %(network)s only replies can be hidden, and this is not one.")
    ),
    "not_own_thread": _say(
        gettext_noop("%(network)s lets a channel hide replies only under its own posts.")
    ),
    "too_many_hidden": _say(
        gettext_noop(
            "%(network)s hides only a limited number of replies in one thread, and this thread "
            "has that many. Show one of them again first."
        )
    ),
    "bad_threadgate": _say(
        gettext_noop(
            "%(network)s answered with a thread setting Varde cannot read. Nothing was changed."
        )
    ),
    # Connecting and the account.
    "handle_not_found": _say(
        gettext_noop("%(network)s has no account with this handle. Check the spelling.")
    ),
    "handle_mismatch": _say(
        gettext_noop(
            "The %(network)s account does not confirm this handle. Check the handle and try again."
        )
    ),
    "unsupported_did": _say(
        gettext_noop(
            "This %(network)s account uses a kind of identity Varde cannot connect to yet."
        )
    ),
    "did_mismatch": _say(
        gettext_noop(
            "The %(network)s account's identity could not be confirmed. Try connecting again."
        )
    ),
    "no_pds": _say(gettext_noop("The %(network)s account names no server. Check the account.")),
    "missing_did": _say(
        gettext_noop("The %(network)s channel lacks its account identity. Reconnect the channel.")
    ),
    "oauth_unavailable": _say(
        gettext_noop(
            "The account's server does not offer %(network)s's safe sign-in. Try again later."
        )
    ),
    "par_failed": _say(
        gettext_noop(
            "The %(network)s sign-in server did not accept the sign-in. Start connecting again."
        )
    ),
    "sub_mismatch": _say(
        gettext_noop(
            "The %(network)s sign-in answered for another account. Start connecting again."
        )
    ),
    "bad_token_type": _say(
        gettext_noop("The %(network)s sign-in server gave a kind of access Varde cannot use.")
    ),
    "bad_scope": _say(
        gettext_noop(
            "The %(network)s sign-in did not give Varde permission to post. Connect again and "
            "allow it."
        )
    ),
    "no_page_token": _say(
        gettext_noop(
            "%(network)s gave no access to this Page. The person connecting must manage the Page; "
            "connect again with such an account."
        )
    ),
    "no_channel": _say(
        gettext_noop("This %(network)s account has no channel. Create one, then connect.")
    ),
    # The newsletter and its mail server.
    "no_recipients": _say(
        gettext_noop("The list has no confirmed subscribers, so the newsletter was not sent.")
    ),
    "partly_sent": _say(
        gettext_noop("The newsletter went to some subscribers; the mail server refused the others.")
    ),
    "all_refused": _say(
        gettext_noop("The mail server refused every subscriber, so nothing was sent.")
    ),
    "bad_header": _say(
        gettext_noop(
            "A name or address contains a line break, which an e-mail cannot carry. Correct it."
        )
    ),
    "smtp_private_address": _say(
        gettext_noop(
            "Varde does not send mail through servers on private or local addresses. Give the "
            "public name of your mail server."
        )
    ),
    "smtp_no_tls": _say(
        gettext_noop(
            "The mail server does not offer encryption (STARTTLS), so the password would travel "
            "unencrypted. Choose SSL or check the server's port."
        )
    ),
    "smtp_utf8": _say(
        gettext_noop(
            "The mail server cannot deliver to addresses with letters outside A–Z (such as æ, ø, "
            "å). Ask the subscriber for another address, or use a mail server that can."
        )
    ),
    "smtp_no_auth": _say(
        gettext_noop(
            "The mail server does not offer login on this connection. Check the security setting."
        )
    ),
}
