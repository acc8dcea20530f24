"""Signing of outgoing webhooks after Standard Webhooks (https://www.standardwebhooks.com).

Shared by every signed message Varde sends (the CRM hand-off of leads, the notification path's
webhook channel), so the receivers check them all the same way with any Standard Webhooks
library: headers ``webhook-id`` (the same on every retry, so a receiver can drop a repeat),
``webhook-timestamp`` (Unix seconds) and ``webhook-signature`` (``v1,<base64 HMAC-SHA256>`` of
``"<id>.<timestamp>.<body>"`` keyed with the base64 part of a ``whsec_`` secret).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
import uuid
from collections.abc import Mapping

from standardwebhooks.webhooks import Webhook

SECRET_PREFIX = "whsec_"  # noqa: S105 - the prefix of every secret, not a secret

# The retry schedule of every signed message: the waits after the 1st, 2nd, … failed try; after
# the last, the message is marked failed.
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=8),
)
MAX_TRIES = len(BACKOFF) + 1
# A claimed message is not claimed again for this long (a worker that died mid-try).
LEASE = dt.timedelta(minutes=2)


def new_secret() -> str:
    """A fresh signing secret: ``whsec_`` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def signed_headers(
    *, secret: str, message_id: str, moment: dt.datetime, body: str
) -> dict[str, str]:
    """The headers of one try: the body must be sent byte for byte as signed."""
    return {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, moment, body),
    }


def envelope(*, kind: str, message_id: str, moment: dt.datetime, data: Mapping[str, object]) -> str:
    """Standard Webhooks' ``type``/``timestamp``/``data`` JSON, compact and in UTF-8."""
    return json.dumps(
        {"type": kind, "id": message_id, "timestamp": moment.isoformat(), "data": dict(data)},
        ensure_ascii=False,
        separators=(",", ":"),
    )
