"""A stand-in for Bluesky's video service (video.bsky.app), which @atproto/dev-env does not have.

It does only the part of the real service that touches the account's PDS, the way Bluesky's
tutorial describes it (docs.bsky.app/docs/tutorials/video): it takes the file from
``app.bsky.video.uploadVideo`` with the service-auth token the client got from the PDS and
stores it on that PDS with ``com.atproto.repo.uploadBlob`` and the same token, then reports the
blob through ``app.bsky.video.getJobStatus``. No transcoding. So the real PDS checks what the
connector asked for (audience, method, expiry, signature): a wrong one fails the upload here
as it would at video.bsky.app. It never answers anything it did not get from the PDS.
"""

from __future__ import annotations

import base64
import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx


def jwt_claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


@dataclass
class VideoServiceStandIn:
    pds_url: str
    url: str = ""
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    seen_tokens: list[dict[str, Any]] = field(default_factory=list)

    def handle(
        self, method: str, path: str, query: dict[str, str], headers: Any, body: bytes
    ) -> tuple[int, dict[str, Any]]:
        auth = headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else ""
        if token:
            self.seen_tokens.append(jwt_claims(token))
        answer = {
            ("GET", "/xrpc/app.bsky.video.getUploadLimits"): self._limits,
            ("POST", "/xrpc/app.bsky.video.uploadVideo"): self._upload,
            ("GET", "/xrpc/app.bsky.video.getJobStatus"): self._job,
        }.get((method, path))
        if answer is None:
            return 404, {"error": "MethodNotImplemented", "message": path}
        return answer(query, auth, body)

    def _limits(self, query: dict[str, str], auth: str, body: bytes) -> tuple[int, dict]:
        if not auth:
            return 401, {"error": "AuthMissing", "message": "Authentication Required"}
        return 200, {"canUpload": True, "remainingDailyVideos": 25}

    def _upload(self, query: dict[str, str], auth: str, body: bytes) -> tuple[int, dict]:
        stored = httpx.post(
            f"{self.pds_url}/xrpc/com.atproto.repo.uploadBlob",
            content=body,
            headers={"Authorization": auth, "Content-Type": "video/mp4"},
            timeout=30,
        )
        if stored.status_code != 200:
            return stored.status_code, stored.json()
        job = {"jobId": uuid.uuid4().hex, "did": query.get("did", "")}
        self.jobs[job["jobId"]] = {
            **job,
            "state": "JOB_STATE_COMPLETED",
            "blob": stored.json()["blob"],
        }
        return 200, {"jobStatus": {**job, "state": "JOB_STATE_CREATED"}}

    def _job(self, query: dict[str, str], auth: str, body: bytes) -> tuple[int, dict]:
        job = self.jobs.get(query.get("jobId", ""))
        if job is None:
            return 400, {"error": "InvalidRequest", "message": "no such job"}
        return 200, {"jobStatus": job}


@contextmanager
def video_service(pds_url: str, port: int) -> Iterator[VideoServiceStandIn]:
    service = VideoServiceStandIn(pds_url=pds_url, url=f"http://127.0.0.1:{port}")

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            parts = urlsplit(self.path)
            query = {key: values[0] for key, values in parse_qs(parts.query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            status, answer = service.handle(self.command, parts.path, query, self.headers, body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _answer  # noqa: N815 (http.server's naming)

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()
