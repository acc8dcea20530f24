"""Varde's own link tracking: short links, clicks, visitor salts and conversions. Every write
to those tables happens here.

What is never stored: the visitor's IP address, their browser string, a cookie, or anything
that could follow a person from one day to the next. A click keeps the time, the link and a
hash of (salt of the day, address, browser, workspace); the salt is random, made the first
time it is needed each day and deleted after two days (``salts_prune``), after which no hash
can be recomputed from an address. Bots are not counted (``crawlerdetect``'s maintained list;
a request with no browser string is a bot too).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from varde.analytics.choices import ConversionKind, ConversionSource
from varde.analytics.daily import rollup_rebuild
from varde.analytics.models import Conversion, LinkClick, ShortLink, TrackingKey, VisitorSalt
from varde.lib.crypto import decrypt_secret, encrypt_secret

if TYPE_CHECKING:
    from crawlerdetect import CrawlerDetect

    from varde.accounts.models import User, Workspace

SALT_KEEP_DAYS = 2
CODE_BYTES = 6  # 8 URL-safe characters
SIGNATURE_MAX_AGE = dt.timedelta(minutes=5)


@lru_cache(maxsize=1)
def _detector() -> CrawlerDetect:
    from crawlerdetect import CrawlerDetect

    return CrawlerDetect()


def is_bot(user_agent: str) -> bool:
    user_agent = user_agent.strip()
    return not user_agent or bool(_detector().isCrawler(user_agent))


# --- Short links -------------------------------------------------------------------------------


def short_url(link: ShortLink) -> str:
    return settings.BASE_URL + reverse("links:follow", kwargs={"code": link.code})


def short_link_for(
    *,
    workspace_id: int,
    target_url: str,
    post_id: int | None,
    channel_id: int | None,
    campaign_id: int | None,
) -> ShortLink:
    """The short link of this target for this post on this channel, made once."""
    same = {"post_id": post_id, "channel_id": channel_id, "target_url": target_url}
    existing = ShortLink.objects.filter(**same).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return ShortLink.objects.create(
                workspace_id=workspace_id,
                code=secrets.token_urlsafe(CODE_BYTES),
                target_url=target_url,
                post_id=post_id,
                channel_id=channel_id,
                campaign_id=campaign_id,
            )
    except IntegrityError:  # a second sender made it at the same moment
        return ShortLink.objects.get(**same)


# --- Salts and visitors ------------------------------------------------------------------------


def salt_of(day: dt.date) -> str:
    """The day's salt, made the first time it is needed."""
    found = VisitorSalt.objects.filter(day=day).values_list("salt", flat=True).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return VisitorSalt.objects.create(day=day, salt=secrets.token_hex(32)).salt
    except IntegrityError:
        return VisitorSalt.objects.get(day=day).salt


def salts_prune(*, today: dt.date) -> int:
    """Delete the salts older than two days: yesterday's hashes stay countable, older ones
    can never be linked to an address again."""
    deleted, _ = VisitorSalt.objects.filter(
        day__lte=today - dt.timedelta(days=SALT_KEEP_DAYS)
    ).delete()
    return deleted


def visitor_hash(*, day: dt.date, address: str, user_agent: str, workspace_id: int) -> str:
    message = f"{workspace_id}|{address}|{user_agent}".encode()
    return hmac.new(salt_of(day).encode(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Visit:
    """What a request tells: kept only long enough to make the hash."""

    address: str
    user_agent: str


def link_follow(*, code: str, visit: Visit, now: dt.datetime) -> str | None:
    """Count a human click and answer where it goes; None for an unknown code."""
    link = ShortLink.objects.filter(code=code).first()
    if link is None:
        return None
    if not is_bot(visit.user_agent):
        day = timezone.localdate(now)
        LinkClick.objects.create(
            workspace_id=link.workspace_id,
            link=link,
            at=now,
            day=day,
            visitor=visitor_hash(
                day=day,
                address=visit.address,
                user_agent=visit.user_agent,
                workspace_id=link.workspace_id,
            ),
        )
        if link.channel_id is not None:
            rollup_rebuild(workspace_id=link.workspace_id, day=day)
    return link.target_url


# --- Conversions ---------------------------------------------------------------------------------


def tracking_key_of(*, workspace: Workspace) -> TrackingKey:
    key = TrackingKey.objects.filter(workspace=workspace).first()
    if key is None:
        key, _ = TrackingKey.objects.get_or_create(
            workspace=workspace,
            defaults={
                "secret_encrypted": encrypt_secret(secrets.token_urlsafe(32)),
                "pixel_id": secrets.token_urlsafe(12),
            },
        )
    return key


def conversion_secret(*, workspace: Workspace) -> str:
    return decrypt_secret(tracking_key_of(workspace=workspace).secret_encrypted)


def sign(*, secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` of ``"<timestamp>." + body`` under the workspace's secret."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


class ConversionRefusedError(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def _parse_value(raw: Any) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation as error:
        raise ConversionRefusedError(400, "value is not a number") from error
    if not value.is_finite() or value < 0 or value >= Decimal("1e12"):
        raise ConversionRefusedError(400, "value is out of range")
    return value.quantize(Decimal("0.01"))


def conversion_receive(
    *,
    pixel_or_workspace: TrackingKey,
    body: bytes,
    timestamp: str,
    signature: str,
    now: dt.datetime,
) -> Conversion:
    """A signed conversion sent server to server. Refused (401) when the signature or the
    time is wrong, (400) when the body is not understood; the same ``id`` twice is stored
    once."""
    key = pixel_or_workspace
    secret = decrypt_secret(key.secret_encrypted)
    expected = sign(secret=secret, timestamp=timestamp, body=body)
    if not hmac.compare_digest(expected, signature.strip()):
        raise ConversionRefusedError(401, "signature does not match")
    try:
        sent_at = dt.datetime.fromtimestamp(int(timestamp), tz=dt.UTC)
    except (ValueError, OverflowError) as error:
        raise ConversionRefusedError(401, "timestamp is not a Unix time") from error
    if abs(now - sent_at) > SIGNATURE_MAX_AGE:
        raise ConversionRefusedError(401, "timestamp is too old or in the future")
    try:
        data = json.loads(body)
    except ValueError as error:
        raise ConversionRefusedError(400, "body is not JSON") from error
    if not isinstance(data, dict):
        raise ConversionRefusedError(400, "body is not a JSON object")
    kind = str(data.get("kind", ""))
    if kind not in ConversionKind.values:
        raise ConversionRefusedError(400, f"kind must be one of {', '.join(ConversionKind.values)}")
    link = None
    if data.get("link"):
        link = ShortLink.objects.filter(
            workspace_id=key.workspace_id, code=str(data["link"])
        ).first()
    external_id = str(data.get("id", ""))[:120]
    existing = (
        Conversion.objects.filter(
            workspace_id=key.workspace_id, source=ConversionSource.ENDPOINT, external_id=external_id
        ).first()
        if external_id
        else None
    )
    if existing is not None:
        return existing
    return Conversion.objects.create(
        workspace_id=key.workspace_id,
        kind=kind,
        value=_parse_value(data.get("value")),
        currency=str(data.get("currency", ""))[:3].upper(),
        at=now,
        day=timezone.localdate(now),
        source=ConversionSource.ENDPOINT,
        link=link,
        campaign_id=link.campaign_id if link else None,
        external_id=external_id,
    )


def conversion_from_pixel(
    *, pixel_id: str, kind: str, value: str, visit: Visit, now: dt.datetime
) -> Conversion | None:
    """The thank-you page pixel: a conversion, tied to the link the same visitor clicked
    today (the same daily hash; no cookie). Bots and unknown pixels count nothing."""
    key = TrackingKey.objects.filter(pixel_id=pixel_id).first()
    if key is None or is_bot(visit.user_agent):
        return None
    if kind not in ConversionKind.values:
        kind = ConversionKind.SIGNUP
    day = timezone.localdate(now)
    visitor = visitor_hash(
        day=day, address=visit.address, user_agent=visit.user_agent, workspace_id=key.workspace_id
    )
    click = (
        LinkClick.objects.filter(workspace_id=key.workspace_id, day=day, visitor=visitor)
        .select_related("link")
        .order_by("-at")
        .first()
    )
    try:
        amount = _parse_value(value)
    except ConversionRefusedError:
        amount = None
    return Conversion.objects.create(
        workspace_id=key.workspace_id,
        kind=kind,
        value=amount,
        at=now,
        day=day,
        source=ConversionSource.PIXEL,
        link=click.link if click else None,
        campaign_id=click.link.campaign_id if click else None,
    )


@transaction.atomic
def conversion_enter(
    *,
    workspace: Workspace,
    kind: str,
    day: dt.date,
    value: Decimal | None,
    campaign_id: int | None,
    note: str,
    user: User,
) -> Conversion:
    """A lead, customer or sale entered by hand."""
    return Conversion.objects.create(
        workspace=workspace,
        kind=kind,
        value=value,
        at=timezone.make_aware(dt.datetime.combine(day, dt.time(12))),
        day=day,
        source=ConversionSource.MANUAL,
        campaign_id=campaign_id,
        note=note,
        entered_by=user,
    )
