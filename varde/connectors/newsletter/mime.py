"""One newsletter e-mail: multipart text + HTML, unsubscribe headers, a stable Message-ID.

The HTML part is built from the same plain text, escaped: a post's text is the author's,
but it is still text, not markup. Links become links, blank lines paragraphs.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from typing import TYPE_CHECKING
from urllib.parse import quote

from django.utils import translation
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from varde.connectors.contracts import PublishRequest, Recipient

SUBJECT_MAX = 120
_URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")
_SAFE_ID = re.compile(r"[^A-Za-z0-9-]")
# Line breaks and other control characters: in a header they would start a new header (or
# make the email package refuse the whole message), so a name typed into a signup form or a
# CSV cell must never carry one into To: or Subject:.
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")


def header_safe(value: str) -> str:
    """``value`` on one line, fit for an e-mail header: control characters become spaces."""
    return " ".join(_CONTROL.sub(" ", value).split())


@dataclass(frozen=True)
class Sender:
    address: str
    name: str = ""
    reply_to: str = ""
    # Where mailto: unsubscribe requests go (RFC 2369). A person reads that box: Varde does
    # not read mail.
    unsubscribe_mailbox: str = ""

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2] or "localhost"


def subject_of(request: PublishRequest) -> str:
    """The title, or the first line of the text, cut at a word near ``SUBJECT_MAX``."""
    subject = (request.title or "").strip()
    if not subject:
        subject = next((line.strip() for line in request.text.splitlines() if line.strip()), "")
    subject = " ".join(subject.split())
    if len(subject) > SUBJECT_MAX:
        subject = subject[:SUBJECT_MAX].rsplit(" ", 1)[0] + " …"
    return subject


def message_id(idempotency_key: str, recipient_key: str, domain: str) -> str:
    """``<varde.<delivery key>.<subscriber key>@domain>``: the same on every retry of the
    same delivery to the same person, so the message can be found by its key in server logs
    or a mailbox, and receivers that drop duplicate Message-IDs drop a resend."""
    key = _SAFE_ID.sub("", idempotency_key)
    if len(key) != len(idempotency_key) or len(key) > 64:
        key = hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]
    who = _SAFE_ID.sub("", recipient_key)[:64] or "x"
    return f"<varde.{key}.{who}@{domain}>"


def _linked(block: str) -> str:
    """Escape ``block``, with each URL in it as a link (found before escaping, so an escaped
    quote or ampersand never becomes part of an address)."""
    out, last = [], 0
    for match in _URL.finditer(block):
        url = html.escape(match.group(0), quote=True)
        out += [html.escape(block[last : match.start()]), f'<a href="{url}">{url}</a>']
        last = match.end()
    out.append(html.escape(block[last:]))
    return "".join(out)


def text_to_html(text: str) -> str:
    """Escaped text, URLs as links, blank-line-separated blocks as paragraphs."""
    blocks = re.split(r"\n\s*\n", text.strip())
    return "\n".join("<p>" + _linked(block).replace("\n", "<br>\n") + "</p>" for block in blocks)


def _unsubscribe_header(recipient: Recipient, sender: Sender) -> str:
    parts = [f"<{recipient.unsubscribe_url}>"]
    mailbox = sender.unsubscribe_mailbox or sender.address
    parts.append(f"<mailto:{mailbox}?subject={quote('unsubscribe ' + recipient.address)}>")
    return ", ".join(parts)


def _footer(recipient: Recipient, sender: Sender) -> tuple[str, str]:
    who = sender.name or sender.address
    reason = _("You get this e-mail because you subscribed to %(sender)s.") % {"sender": who}
    action = _("Unsubscribe")
    text = f"\n\n-- \n{reason}\n{action}: {recipient.unsubscribe_url}\n"
    url = html.escape(recipient.unsubscribe_url, quote=True)
    markup = (
        '\n<hr>\n<p style="font-size:small;color:#555">'
        f'{html.escape(reason)}<br>\n<a href="{url}">{html.escape(action)}</a></p>'
    )
    return text, markup


def compose(
    request: PublishRequest, recipient: Recipient, sender: Sender, *, now: datetime
) -> EmailMessage:
    with translation.override(request.language or translation.get_language()):
        footer_text, footer_html = _footer(recipient, sender)
    body = request.full_text
    message = EmailMessage()
    message["Subject"] = header_safe(subject_of(request))
    message["From"] = formataddr((header_safe(sender.name), sender.address))
    message["To"] = Address(display_name=header_safe(recipient.name), addr_spec=recipient.address)
    if sender.reply_to:
        message["Reply-To"] = header_safe(sender.reply_to)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(request.idempotency_key, recipient.key, sender.domain)
    message["List-Unsubscribe"] = _unsubscribe_header(recipient, sender)
    if recipient.unsubscribe_url.startswith("https://"):
        # RFC 8058 one-click: only with an HTTPS address, which the mail provider POSTs to.
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if request.language:
        message["Content-Language"] = request.language
    message.set_content(body + footer_text)
    lang = html.escape(request.language or "", quote=True)
    document = (
        f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(message['Subject'])}</title></head>\n<body>\n"
        f"{text_to_html(body)}{footer_html}\n</body></html>\n"
    )
    message.add_alternative(document, subtype="html")
    return message


def notice(
    *,
    to_address: str,
    to_name: str,
    subject: str,
    text: str,
    sender: Sender,
    message_key: str,
    now: datetime,
) -> EmailMessage:
    """A single plain message (the opt-in confirmation), from the newsletter's own sender."""
    message = EmailMessage()
    message["Subject"] = header_safe(subject)
    message["From"] = formataddr((header_safe(sender.name), sender.address))
    message["To"] = Address(display_name=header_safe(to_name), addr_spec=to_address)
    if sender.reply_to:
        message["Reply-To"] = header_safe(sender.reply_to)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(message_key, "notice", sender.domain)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    return message
