"""Without an SMTP server, mail is printed, except to the demo's made-up addresses."""

from __future__ import annotations

import io

from django.core.mail import EmailMessage

from varde.lib.mail import LocalEmailBackend


def test_demo_mail_is_not_printed_and_real_mail_is():
    out = io.StringIO()
    backend = LocalEmailBackend(stream=out)
    sent = backend.send_messages(
        [
            EmailMessage("A post failed", "body", to=["silje@varde.local"]),
            EmailMessage("Invitation", "link", to=["someone@example.com", "jonas@varde.local"]),
        ]
    )
    assert sent == 1
    text = out.getvalue()
    assert "A post failed" not in text
    assert "Invitation" in text
    assert "jonas@varde.local" not in text
