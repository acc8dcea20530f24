"""Media for Bluesky posts: images and a video, uploaded before the post that shows them.

Images go to the account's PDS with ``com.atproto.repo.uploadBlob`` (``app.bsky.embed.images``).
A video (``app.bsky.embed.video``: the mp4 blob, ``alt``, ``aspectRatio``) goes one of the two
ways Bluesky's tutorial "Uploading Video" (docs.bsky.app/docs/tutorials/video) describes:

- through the video service (the recommended way, and the default): a service-auth token from
  the PDS (``com.atproto.server.getServiceAuth``, audience the PDS's ``did:web``, method
  ``com.atproto.repo.uploadBlob``, 30 minutes), the file to the video service's
  ``app.bsky.video.uploadVideo?did=…&name=…``, then ``app.bsky.video.getJobStatus`` until
  the job gives the blob, which the service stored on the PDS with that token. The post shows
  a playable video at once. ``app.bsky.video.getUploadLimits`` is asked first (its own token,
  audience the video service), so a reached daily limit is said before any upload.
- straight to the PDS with ``uploadBlob`` (config ``video_upload = "pds"``), the tutorial's
  "simple method": the video service only starts processing once the post is out, so the
  post shows a missing video for a while. For a PDS the video service cannot reach, and the
  local test network, which has no video service.

Per-account config: ``video_service`` (default https://video.bsky.app; its ``did:web`` is the
audience for the limits token) and ``video_upload`` ("service" or "pds").
Nothing here publishes anything: a blob or a processing job is invisible until a post points
at it, so a failure before the post is safe to retry (the video service answers a file it has
seen with the same blob, tutorial: "already_exists").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

from varde.connectors.atproto.identity import pds_endpoint
from varde.connectors.bluesky.xrpc import DEFAULT_SERVICE, NETWORK, read_error
from varde.connectors.errors import AuthExpired, Rejected, Transient
from varde.connectors.http import json_object, send, utc_now

if TYPE_CHECKING:
    from varde.connectors.contracts import MediaItem, PublishRequest

DEFAULT_VIDEO_SERVICE = "https://video.bsky.app"
# Length: 3 minutes since Bluesky raised it from 60 s in March 2025 (app release, reported e.g.
# by cafex.biz/blog/bluesky-expands-video-uploads-to-3-minutes-enhancing-user-experience); no
# API page states it, the video service refuses a longer file while processing it.
MAX_VIDEO_SECONDS = 180
# Size: 100 MB, the app.bsky.embed.video lexicon's limit from @atproto/api PR #3602 ("Permit
# 100mb video embeds"). PR #5373 raised the record's limit to 300 MB together with a multipart
# upload (app.bsky.video.startUpload/uploadPart, PR #5384); Varde sends the file in the one
# request of the tutorial's uploadVideo, so it keeps the 100 MB until it speaks multipart.
MAX_VIDEO_BYTES = 100_000_000
VIDEO_EMBED = "app.bsky.embed.video"
IMAGES_EMBED = "app.bsky.embed.images"
UPLOAD_BLOB = "com.atproto.repo.uploadBlob"
# The tutorial asks for "a slightly longer expiry - 30 minutes": the video service uses the
# token to store the processed file on the PDS, after the upload itself.
UPLOAD_TOKEN_LIFETIME = timedelta(minutes=30)
LIMITS_TOKEN_LIFETIME = timedelta(minutes=5)
# The tutorial polls every second; a three-minute video takes a while, so 2 s for up to 3 min.
POLL_SECONDS = 2.0
POLL_ATTEMPTS = 90
JOB_COMPLETED = "JOB_STATE_COMPLETED"
JOB_FAILED = "JOB_STATE_FAILED"
ALREADY_DONE = "already_exists"
_CONFLICT = 409

Xrpc = Callable[..., dict[str, Any]]


def ensure_one_video(request: PublishRequest) -> None:
    """A post embeds either images or one video (the embed is one of them), never both."""
    videos = [item for item in request.media if item.is_video]
    if videos and len(request.media) > 1:
        msg = "A Bluesky post takes one video on its own, without images or other videos."
        raise Rejected(msg, code="limits")


def did_web(url: str) -> str:
    """The ``did:web`` of a service by its address, as Bluesky's app forms it (host only)."""
    host = urlsplit(url).hostname
    if not host:
        msg = f"{NETWORK}: {url!r} is not a service address"
        raise Rejected(msg, code="missing_config")
    return f"did:web:{host}"


@dataclass
class MediaUploader:
    """Uploads one post's media for a connector: ``xrpc`` is its PDS call (app password or
    OAuth/DPoP alike), ``client`` the guarded HTTP client for the video service."""

    xrpc: Xrpc
    client: httpx.Client
    config: Mapping[str, str]
    did: str
    sleep: Callable[[float], None]

    def embed(self, request: PublishRequest) -> dict[str, Any] | None:
        if not request.media:
            return None
        ensure_one_video(request)
        first = request.media[0]
        if first.is_video:
            return self.video_embed(first)
        return {
            "$type": IMAGES_EMBED,
            "images": [
                {"alt": item.alt_text, "image": self._to_pds(item)} for item in request.media
            ],
        }

    def video_embed(self, item: MediaItem) -> dict[str, Any]:
        via_pds = self.config.get("video_upload", "").strip().lower() == "pds"
        blob = self._to_pds(item) if via_pds else self._through_video_service(item)
        embed: dict[str, Any] = {"$type": VIDEO_EMBED, "video": blob}
        if item.alt_text:
            embed["alt"] = item.alt_text
        if item.width and item.height:
            # The displayed size Varde read from the file (app.bsky.embed.defs#aspectRatio).
            embed["aspectRatio"] = {"width": item.width, "height": item.height}
        return embed

    def _to_pds(self, item: MediaItem) -> Any:
        uploaded = self.xrpc(
            "POST",
            UPLOAD_BLOB,
            side_effect=False,
            content=item.read_bytes(),
            headers={"Content-Type": item.mime_type},
        )
        return uploaded.get("blob")

    # -- the video service ---------------------------------------------------------------

    @property
    def _video_service(self) -> str:
        return (self.config.get("video_service") or DEFAULT_VIDEO_SERVICE).rstrip("/")

    def _through_video_service(self, item: MediaItem) -> Any:
        self._check_upload_limits(item)
        token = self._service_token(self._pds_audience(), UPLOAD_BLOB, UPLOAD_TOKEN_LIFETIME)
        name = item.path.name if item.path is not None else "video.mp4"
        response = self._video_call(
            "POST",
            "app.bsky.video.uploadVideo",
            token=token,
            params={"did": self.did, "name": name},
            content=item.read_bytes(),
            headers={"Content-Type": item.mime_type},
            accept=(_CONFLICT,),
        )
        job = _job_status(response)
        if response.status_code == _CONFLICT and not (job.get("blob") or job.get("jobId")):
            raise _video_refusal(job, "did not take the video")
        return self._wait_for_blob(job)

    def _check_upload_limits(self, item: MediaItem) -> None:
        token = self._service_token(
            did_web(self._video_service), "app.bsky.video.getUploadLimits", LIMITS_TOKEN_LIFETIME
        )
        limits = _body(self._video_call("GET", "app.bsky.video.getUploadLimits", token=token))
        told = str(limits.get("message") or limits.get("error") or "").strip()
        if limits.get("canUpload") is False or limits.get("remainingDailyVideos") == 0:
            msg = (
                "Bluesky does not let this account upload a video now"
                + (f": {told}" if told else ".")
                + " Bluesky limits how many videos an account can post per day, and its own "
                "accounts need a confirmed e-mail address; try again tomorrow or check the "
                "account in the Bluesky app."
            )
            raise Rejected(msg, code="video_upload_limit")
        left = limits.get("remainingDailyBytes")
        if isinstance(left, int) and left < item.size:
            msg = (
                f"Bluesky's daily video allowance for this account has {left:,} bytes left; "
                f"this video is {item.size:,} bytes. Try again tomorrow."
            )
            raise Rejected(msg, code="video_upload_limit")

    def _pds_audience(self) -> str:
        """The account's PDS as ``did:web``. An app-password session may talk to an entryway
        (bsky.social) rather than the PDS itself, so the PDS comes from the session's DID
        document (``getSession``'s ``didDoc``), and the configured server where there is none."""
        session = self.xrpc("GET", "com.atproto.server.getSession", side_effect=False)
        document = session.get("didDoc")
        endpoint = pds_endpoint(document) if isinstance(document, dict) else None
        return did_web(endpoint or self.config.get("service") or DEFAULT_SERVICE)

    def _service_token(self, audience: str, method: str, lifetime: timedelta) -> str:
        expires = int((utc_now() + lifetime).timestamp())
        answer = self.xrpc(
            "GET",
            "com.atproto.server.getServiceAuth",
            side_effect=False,
            params={"aud": audience, "lxm": method, "exp": expires},
        )
        token = answer.get("token")
        if not isinstance(token, str) or not token:
            msg = f"{NETWORK}: the server gave no upload permission for the video"
            raise Transient(msg)
        return token

    def _video_call(
        self, method: str, nsid: str, *, token: str | None = None, **kwargs: Any
    ) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        if token:
            headers["Authorization"] = f"Bearer {token}"
        try:
            return send(
                self.client,
                method,
                f"{self._video_service}/xrpc/{nsid}",
                side_effect=False,
                read_error=read_error,
                network=f"{NETWORK}'s video service",
                headers=headers,
                **kwargs,
            )
        except AuthExpired as error:
            # The account's own sign-in is fine (the PDS just signed the token); refreshing it
            # would not help. Say what was refused instead of asking to reconnect.
            msg = (
                f"Bluesky's video service did not accept this account's upload permission "
                f"({error.message}). Publishing the video straight to the account's server "
                "(video_upload = pds) avoids the video service."
            )
            raise Rejected(msg, status=error.status, code="video_service_auth") from error

    def _wait_for_blob(self, job: dict[str, Any]) -> Any:
        """Ask for the job's state until it gives the blob. The blob counts whatever the
        state says: a file the service has seen comes back as an ``already_exists`` error
        with the earlier blob (tutorial, the note after "Recommended method")."""
        job_id = job.get("jobId")
        for attempt in range(POLL_ATTEMPTS + 1):
            if job.get("blob"):
                return job["blob"]
            if job.get("state") == JOB_FAILED or job.get("error") not in (None, ALREADY_DONE):
                raise _video_refusal(job, "could not process the video")
            if attempt == POLL_ATTEMPTS or not job_id:
                break
            self.sleep(POLL_SECONDS)
            response = self._video_call(
                "GET", "app.bsky.video.getJobStatus", params={"jobId": job_id}
            )
            job = _job_status(response)
        if not job_id:
            msg = f"{NETWORK}'s video service accepted the video but gave no job to follow"
            raise Transient(msg)
        minutes = POLL_SECONDS * POLL_ATTEMPTS / 60
        msg = (
            f"{NETWORK} is still processing the video after {minutes:g} minutes; nothing was "
            "posted, and the next try picks up the same video."
        )
        raise Transient(msg, retry_after=60)


def _body(response: httpx.Response) -> dict[str, Any]:
    return json_object(response, side_effect=False, network=NETWORK)


def _job_status(response: httpx.Response) -> dict[str, Any]:
    """``app.bsky.video.defs#jobStatus``: the lexicons wrap it in ``{"jobStatus": …}``; the
    tutorial's upload code reads it bare. Both are taken."""
    body = _body(response)
    inner = body.get("jobStatus")
    return inner if isinstance(inner, dict) else body


def _video_refusal(job: Mapping[str, Any], what: str) -> Rejected:
    told = next((str(job[key]) for key in ("message", "error", "failureCode") if job.get(key)), "")
    msg = f"Bluesky's video service {what}" + (f": {told}" if told else ".")
    return Rejected(msg, code="video_failed")
