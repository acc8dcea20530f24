"""The mail backend of an install without an SMTP server: the console, minus the demo's team.

Without ``VARDE_EMAIL_HOST`` mail is printed on the console of ``varde run`` so a local install
still shows invitation and password links. The demo's people have made-up addresses
(``@varde.local``); mail to them is dropped, so the demo's own notifications (a failed post,
a post to review) do not fill the terminal at start. The demo shows those on its pages.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.message import EmailMessage

# Addresses that exist nowhere: the demo team's.
UNDELIVERABLE_DOMAINS = ("@varde.local",)


def _deliverable(address: str) -> bool:
    return not address.strip().rstrip(">").lower().endswith(UNDELIVERABLE_DOMAINS)


class LocalEmailBackend(ConsoleBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        kept: list[EmailMessage] = []
        for message in email_messages:
            recipients = [r for r in message.recipients() if _deliverable(r)]
            if not recipients:
                continue
            message.to = [r for r in message.to if _deliverable(r)]
            message.cc = [r for r in message.cc if _deliverable(r)]
            message.bcc = [r for r in message.bcc if _deliverable(r)]
            kept.append(message)
        return super().send_messages(kept) if kept else 0
