"""One step of the engine: send one due delivery, or check one ``unknown`` one.

No transaction is held while a network is called: the claim is committed first, the outcome
recorded after, each through ``publishing.services``.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db.models import prefetch_related_objects
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from varde.channels.choices import ChannelStatus
from varde.channels.selectors import connector_for
from varde.channels.services import RefreshOutcome, channel_refresh
from varde.connectors.capabilities import Capability
from varde.connectors.checks import ensure_publishable
from varde.connectors.contracts import MediaItem, PublishRequest
from varde.connectors.errors import (
    AuthExpired,
    ConnectorError,
    NotSupported,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    Transient,
)
from varde.connectors.registry import UnknownConnectorError
from varde.content.problem_words import error_text
from varde.content.public_media import (
    NoPublicAddressError,
    media_public_url,
    require_public_address,
)
from varde.content.selectors import (
    post_content_for,
    post_is_approved,
    post_media_known_empty,
    post_text_for,
)
from varde.newsletter.selectors import with_recipients
from varde.publishing import conf, hooks, services
from varde.publishing.backoff import retry_delay
from varde.publishing.choices import AttemptKind, AttemptOutcome, FailureKind
from varde.publishing.models import Delivery, DeliveryAttempt

if TYPE_CHECKING:
    from varde.connectors.base import Connector
    from varde.content.models import PostMedia
    from varde.publishing.services import Claim

log = logging.getLogger(__name__)
# How far before the first attempt the reconciler looks for a post with the same text.
FINGERPRINT_WINDOW = timedelta(minutes=10)


def publish_one(*, worker: str, now: datetime | None = None) -> bool:
    """Claim and send one due delivery. False when nothing was due."""
    claim = services.delivery_claim_next(
        worker=worker, now=now or timezone.now(), describe=_describe
    )
    if claim is None:
        return False
    try:
        # Notes and errors are stored as text, so write them in the workspace's language.
        with translation.override(claim.delivery.workspace.language):
            _send(claim)
    except Exception as error:
        # A bug or an unexpected error after the claim: we cannot tell whether the network got
        # the post, so it goes to the reconciler rather than back in the queue.
        log.exception("Publishing delivery %s failed unexpectedly", claim.delivery.pk)
        services.delivery_mark_unknown(
            claim=claim,
            now=timezone.now(),
            error=_("Unexpected error: %(e)s") % {"e": error},
            request_summary={},
        )
    return True


def _variant_text(delivery: Delivery) -> str | None:
    """The channel's variant text, read by the claim with the delivery; None when it has none."""
    return getattr(delivery, "variant_text", None)


def _channel_text(delivery: Delivery) -> str:
    if not hasattr(delivery, "variant_text"):  # not from a claim
        return post_text_for(post=delivery.post, channel_id=delivery.channel_id)
    variant = _variant_text(delivery)
    return variant if variant is not None else delivery.post.text


def _request_of(delivery: Delivery, text: str | None = None) -> PublishRequest:
    return PublishRequest(
        text=text if text is not None else _channel_text(delivery),
        idempotency_key=delivery.idempotency_key,
        language=delivery.workspace.language or None,
    )


def _describe(delivery: Delivery) -> dict[str, Any]:
    """What will be sent, kept with the attempt when it is claimed (see delivery_claim_next)."""
    return _summary(_request_of(delivery))


def _request_for(claim: Claim) -> PublishRequest:
    """The request for a claimed delivery: the text kept at the claim, so what is sent is what
    the reconciler will look for."""
    kept = claim.attempt.request_summary.get("text")
    return _request_of(claim.delivery, kept if isinstance(kept, str) else None)


def _summary(request: PublishRequest) -> dict[str, Any]:
    # The exact text sent is kept: the reconciler looks for it, and the log shows it.
    return {
        "text": request.full_text,
        "chars": len(request.full_text),
        "idempotency_key": request.idempotency_key,
        **({"recipients": len(request.recipients)} if request.recipients else {}),
    }


def _after_auth_expired(claim: Claim, error: AuthExpired, summary: dict[str, Any]) -> None:
    """The network refused the token. It may only be stale (workers that were down missed
    the refresh ahead of expiry), so try one refresh before asking a person to reconnect;
    the retry counts as a try, so a token that keeps being refused still ends the round."""
    outcome = channel_refresh(channel_id=claim.delivery.channel_id, now=timezone.now())
    if outcome in (RefreshOutcome.REFRESHED, RefreshOutcome.TRANSIENT):
        services.delivery_mark_retry(
            claim=claim,
            now=timezone.now(),
            outcome=AttemptOutcome.AUTH_EXPIRED,
            error=error.message,
            retry_after=0 if outcome == RefreshOutcome.REFRESHED else None,
            request_summary=summary,
        )
        return
    services.delivery_hold_for_reconnect(
        claim=claim, now=timezone.now(), error=error.message, request_summary=summary
    )


def _refusal(claim: Claim, now: datetime) -> FailureKind | None:
    """The send-time checks: things may have changed since the post was scheduled."""
    delivery = claim.delivery
    if delivery.send_by is not None and now > delivery.send_by:
        return FailureKind.MISSED
    if not post_is_approved(delivery.post):
        return FailureKind.NOT_APPROVED
    # The policy guard runs in _send (_policy_refusal), since its findings are the reason.
    return None


def _policy_refusal(claim: Claim) -> str:
    """Why the publishing rules stop this delivery now, in plain words; "" when they do not."""
    delivery = claim.delivery
    try:
        problems = [
            sentence
            for sentences in hooks.send_refusals.call(delivery, _variant_text(delivery))
            for sentence in sentences
        ]
    except Exception:
        # Fail closed: a post the rules could not check does not go out unchecked.
        log.exception("The policy guard failed on delivery %s", delivery.pk)
        return _("The publishing rules could not be checked, so the post was not published.")
    if not problems:
        return ""
    return _("The publishing rules stop this post: %(problems)s") % {"problems": " ".join(problems)}


def _read_media_once(delivery: Delivery) -> None:
    """One read of the post's media for both the guard (alt texts) and the content
    (``post_content_for``), and none when the claim found the post has none.

    Fast path: runs for every send; change only with ``bench/publish.py`` run before and after
    (docs/benchmarks.md) and ``tests/test_engine_cost.py`` passing."""
    post = delivery.post
    if getattr(delivery, "has_media", True):
        prefetch_related_objects([post], "media")
        return
    post_media_known_empty(post)


def _send(claim: Claim) -> None:
    now = timezone.now()
    delivery = claim.delivery
    refusal = _refusal(claim, now)
    if refusal == FailureKind.MISSED:
        services.delivery_mark_missed(claim=claim, now=now)
        return
    if refusal == FailureKind.NOT_APPROVED:
        services.delivery_mark_failed(
            claim=claim,
            now=now,
            kind=refusal,
            reason=_("The post was not approved when it was due, so it was not published."),
        )
        return
    _read_media_once(delivery)
    policy_refusal = _policy_refusal(claim)
    if policy_refusal:
        services.delivery_mark_failed(
            claim=claim, now=now, kind=FailureKind.POLICY, reason=policy_refusal
        )
        return
    if delivery.channel.status != ChannelStatus.CONNECTED:  # changed since the claim query
        services.delivery_hold_for_reconnect(
            claim=claim, now=now, error=delivery.channel.last_error, request_summary={}
        )
        return
    # A newsletter goes to its list's confirmed subscribers as they are at send time.
    request = with_recipients(_request_for(claim), channel=delivery.channel)
    try:
        connector = connector_for(delivery.channel)
        request = _with_post_parts(request, claim, connector)
        ensure_publishable(
            request, connector.effective_limits(), connector.capabilities, connector.key
        )
    except (UnknownConnectorError, NotSupported, NoPublicAddressError) as error:
        services.delivery_mark_failed(
            claim=claim,
            now=now,
            kind=FailureKind.MISCONFIGURED,
            reason=str(error),
            request_summary=_summary(request),
        )
        return
    except Rejected as error:
        services.delivery_mark_failed(
            claim=claim,
            now=now,
            kind=FailureKind.REJECTED,
            reason=error_text(error, network=_(connector.label)),
            request_summary=_summary(request),
        )
        return
    summary = _summary(request)
    if summary["text"] != claim.attempt.request_summary.get("text"):
        # The composer's parts (a link with UTM parameters, say) changed the text kept at the
        # claim: keep what is really sent, before the call, for the reconciler.
        services.delivery_attempt_note_request(claim=claim, request_summary=summary)
    _call_and_record(claim, connector.publish, request, summary, network=_(connector.label))


def _with_post_parts(request: PublishRequest, claim: Claim, connector: Connector) -> PublishRequest:
    """Add what the composer prepared for this channel (``post_content_for``): the title, the
    link with the channel's UTM parameters, the thread, the first comment and the media, each
    only where the network can take it. The reconciler looks for the head post's text alone."""
    content = post_content_for(
        post=claim.delivery.post, channel=claim.delivery.channel, text=request.text
    )
    takes_images = connector.supports(Capability.IMAGES)
    takes_video = connector.supports(Capability.VIDEO)
    media = tuple(
        _media_item(item)
        for item in content.media
        if (item.mime_type.startswith("image/") and takes_images)
        or (item.mime_type.startswith("video/") and takes_video)
    )
    if media and connector.effective_limits().media_by_url:
        require_public_address(network=_(connector.label))
    return replace(
        request,
        title=content.title or None,
        link=content.link or None,
        thread=tuple(t for t in content.thread if isinstance(t, str) and t.strip())
        if connector.supports(Capability.THREADS)
        else (),
        first_comment=content.first_comment
        if content.first_comment.strip() and connector.supports(Capability.FIRST_COMMENT)
        else None,
        media=media,
    )


def _media_item(media: PostMedia) -> MediaItem:
    # A signed address too, for networks that download the file (None without a public one);
    # the size and length read at upload, for the connector's limit checks.
    item = partial(
        MediaItem,
        mime_type=media.mime_type,
        alt_text=media.alt_text,
        public_url=media_public_url(media),
        width=media.width,
        height=media.height,
        duration_seconds=media.duration_seconds,
    )
    try:
        return item(path=Path(media.file.path))
    except NotImplementedError:  # a storage without local files
        with media.file.open("rb") as stream:
            return item(data=stream.read())


def _call_and_record(
    claim: Claim, publish: Any, request: PublishRequest, summary: dict[str, Any], *, network: str
) -> None:
    # A refusal is stored in the workspace's language (publish_one runs under it), with the
    # network's own text kept as the detail (content.problem_words).
    try:
        result = publish(request)
    except RateLimited as error:
        services.delivery_mark_retry(
            claim=claim,
            now=timezone.now(),
            outcome=AttemptOutcome.RATE_LIMITED,
            error=error.message,
            retry_after=error.retry_after,
            request_summary=summary,
        )
    except Transient as error:
        services.delivery_mark_retry(
            claim=claim,
            now=timezone.now(),
            outcome=AttemptOutcome.TRANSIENT,
            error=error.message,
            retry_after=error.retry_after,
            request_summary=summary,
        )
    except AuthExpired as error:
        _after_auth_expired(claim, error, summary)
    except Rejected as error:
        if error.partial is not None:
            # The head post is live; a later part was refused. Published, with the problem
            # shown: re-sending would duplicate what is already out.
            services.delivery_mark_published(
                claim=claim,
                result=error.partial,
                now=timezone.now(),
                request_summary=summary,
                note=error_text(error, network=network),
            )
        else:
            services.delivery_mark_failed(
                claim=claim,
                now=timezone.now(),
                kind=FailureKind.REJECTED,
                reason=error_text(error, network=network),
                request_summary=summary,
            )
    except (OutcomeUnknown, ConnectorError) as error:
        services.delivery_mark_unknown(
            claim=claim, now=timezone.now(), error=error.message, request_summary=summary
        )
    else:
        services.delivery_mark_published(
            claim=claim, result=result, now=timezone.now(), request_summary=summary
        )


def reconcile_one(*, worker: str, now: datetime | None = None) -> bool:
    """Ask the network about one ``unknown`` delivery. False when none was due."""
    claim = services.delivery_claim_unknown(worker=worker, now=now or timezone.now())
    if claim is None:
        return False
    try:
        with translation.override(claim.delivery.workspace.language):
            _reconcile(claim)
    except Exception as error:
        log.exception("Checking delivery %s with the network failed", claim.delivery.pk)
        services.delivery_reconcile_later(
            claim=claim, now=timezone.now(), note=str(error), retry_in=_recheck_delay(claim)
        )
    return True


def _recheck_delay(claim: Claim) -> float:
    checks = DeliveryAttempt.objects.filter(
        delivery=claim.delivery, kind=AttemptKind.RECONCILE
    ).count()
    return retry_delay(
        tries=checks,
        retry_after=None,
        base=conf.retry_base_seconds(),
        cap=conf.retry_cap_seconds(),
    )


def _reconcile(claim: Claim) -> None:
    delivery = claim.delivery
    connector = connector_for(delivery.channel)
    if not connector.supports(Capability.FIND_PUBLISHED):
        services.delivery_reconcile_later(
            claim=claim,
            now=timezone.now(),
            retry_in=None,
            note=_(
                "%(network)s cannot be asked whether the post arrived. Look at the account and "
                "tell Varde whether it is there."
            )
            % {"network": _(connector.label)},
        )
        return
    attempts = list(
        DeliveryAttempt.objects.filter(delivery=delivery, kind=AttemptKind.PUBLISH).order_by(
            "started_at", "id"
        )
    )
    earliest = attempts[0].started_at if attempts else claim.attempt.started_at
    try:
        found = _find_as_sent(connector, _request_for(claim), attempts, earliest)
    except ConnectorError as error:
        services.delivery_reconcile_later(
            claim=claim, now=timezone.now(), note=error.message, retry_in=_recheck_delay(claim)
        )
        return
    if found is not None:
        services.delivery_reconcile_found(claim=claim, result=found, now=timezone.now())
    else:
        services.delivery_reconcile_not_found(claim=claim, now=timezone.now())


# Attempts whose call may have reached the network: their text is what to look for.
_MAY_HAVE_LANDED = (
    AttemptOutcome.UNKNOWN,
    AttemptOutcome.WORKER_LOST,
    AttemptOutcome.IN_PROGRESS,
)


def _find_as_sent(
    connector: Any,
    request: PublishRequest,
    attempts: list[DeliveryAttempt],
    earliest: datetime,
) -> Any:
    """Look for the post as it was sent, newest attempt first, even if it was edited since.

    The text of every attempt that may have landed is tried; the post's current text only when
    no attempt recorded one (a delivery from before texts were kept).
    """
    texts: list[str] = []
    for attempt in reversed(attempts):
        text = attempt.request_summary.get("text")
        if attempt.outcome in _MAY_HAVE_LANDED and isinstance(text, str) and text not in texts:
            texts.append(text)
    candidates = [
        PublishRequest(
            text=text, idempotency_key=request.idempotency_key, language=request.language
        )
        for text in texts
    ] or [request]
    for candidate in candidates:
        found = connector.find_published(candidate, since=earliest - FINGERPRINT_WINDOW)
        if found is not None:
            return found
    return None
