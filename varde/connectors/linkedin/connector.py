"""LinkedIn organization pages over the versioned Community Management API (/rest).

Reference: https://learn.microsoft.com/linkedin/marketing/community-management/ (Posts API,
Images and Videos APIs (uploads in ``linkedin_media.py``), Comments API via socialActions,
organizations, networkSizes) and
https://learn.microsoft.com/linkedin/shared/authentication/authorization-code-flow.

Connecting is the 3-legged OAuth 2.0 authorization code flow with the app's client secret.
LinkedIn offers PKCE only to native (mobile/desktop) apps, not to web apps like Varde, so
no code challenge is sent. Access tokens live 60 days; only apps approved for programmatic
refresh get a refresh token, and without one the page owner reconnects.

Per-account config: ``client_id``, ``client_secret``, ``organization_id`` (the number in
``urn:li:organization:ID``) and optional ``linkedin_version`` (``YYYYMM``). The channels app
lists the pages the member administers (``organizationAcls``, see ``managed.py``) so the
person chooses one instead of typing its id.
"""

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, ClassVar
from urllib.parse import urlencode

import httpx
from django.utils.translation import gettext_lazy as _

from varde.connectors.base import BaseConnector
from varde.connectors.capabilities import Capability
from varde.connectors.chain import publish_chain
from varde.connectors.checks import ensure_publishable
from varde.connectors.connect import ConnectForms
from varde.connectors.contracts import (
    AccountProfile,
    AuthorizeRedirect,
    Credentials,
    Limits,
    Mention,
    Page,
    PostMetrics,
    PublishRequest,
    PublishResult,
)
from varde.connectors.errors import (
    NotSupported,
    OutcomeUnknown,
    Rejected,
)
from varde.connectors.http import json_object, parse_json, send, utc_now
from varde.connectors.linkedin import connect
from varde.connectors.linkedin.api import (
    API,
    AUTHORIZE_URL,
    DEFAULT_VERSION,
    LIMITS,
    NETWORK,
    SCOPES,
    TOKEN_URL,
    comment_target,
    comment_urn,
    escape_little_text,
    mention_from_comment,
    metrics_from_social_actions,
    millis_time,
    post_body,
    post_url,
    read_error,
    unescape_little_text,
    urn_path,
)
from varde.connectors.linkedin.media import post_content
from varde.connectors.look import FeedCut, NetworkLook
from varde.connectors.managed import ManagedAccount
from varde.connectors.oauth import credentials_from_token, refresh_grant, token_request
from varde.connectors.registry import register
from varde.connectors.text import fingerprint

_GONE = frozenset({404, 410})
_RECENT_POSTS = 10
_PAGE_SIZE = 50
_MAX_PAGES = 5
# Company pages listed for one member: ACL pages of this size, and names looked up for at most
# _MAX_ORGANIZATIONS of them (one request each).
_ACL_PAGE_SIZE = 100
_MAX_ORGANIZATIONS = 50
_ORGANIZATION_URN = "urn:li:organization:"


@register
class LinkedInConnector(BaseConnector):
    key: ClassVar[str] = "linkedin"
    label: ClassVar[str] = "LinkedIn"
    look: ClassVar[NetworkLook] = NetworkLook(
        description=_("Posts on your company page on LinkedIn."),
        # No mark: LinkedIn asked simple-icons to remove its logo, so the initial stands in.
        # The fold: about 210 characters on the desktop feed, 140 on a phone (third-party
        # measurements, e.g. posttruncate.com/en/platform-limits; LinkedIn publishes none).
        feed_cut=FeedCut(more=_("…see more"), graphemes=210),
        link_card=True,
    )
    limits: ClassVar[Limits] = LIMITS
    capabilities: ClassVar[Capability] = (
        Capability.TEXT
        | Capability.IMAGES
        | Capability.VIDEO
        | Capability.ALT_TEXT
        | Capability.FIRST_COMMENT
        | Capability.DELETE
        | Capability.FIND_PUBLISHED
        | Capability.METRICS
        | Capability.COMMENTS
        | Capability.REPLY
        | Capability.OAUTH
    )
    config_keys: ClassVar[tuple[str, ...]] = (
        "client_id",
        "client_secret",
        "organization_id",
        "linkedin_version",
    )
    sensitive_config_keys: ClassVar[frozenset[str]] = frozenset({"client_secret"})
    connect_forms: ClassVar[ConnectForms] = connect.FORMS
    managed_config_key: ClassVar[str] = "organization_id"
    # LinkedIn gives no processing estimate; up to 10 minutes covers long clips in practice.
    video_poll_interval: ClassVar[float] = 10.0
    video_poll_attempts: ClassVar[int] = 60

    # -- plumbing -------------------------------------------------------------------------

    def _org(self) -> str:
        return f"urn:li:organization:{self._config('organization_id')}"

    def _call(self, method: str, path: str, *, side_effect: bool, **kwargs: Any) -> httpx.Response:
        headers = {
            "Authorization": f"Bearer {self._creds().access_token}",
            "LinkedIn-Version": self.config.get("linkedin_version") or DEFAULT_VERSION,
            "X-Restli-Protocol-Version": "2.0.0",
            **kwargs.pop("headers", {}),
        }
        return send(
            self.client,
            method,
            path if path.startswith("https://") else f"{API}{path}",
            side_effect=side_effect,
            read_error=read_error,
            network=NETWORK,
            headers=headers,
            **kwargs,
        )

    def _object(
        self, method: str, path: str, *, side_effect: bool, **kwargs: Any
    ) -> dict[str, Any]:
        response = self._call(method, path, side_effect=side_effect, **kwargs)
        return json_object(response, side_effect=side_effect, network=NETWORK)

    # -- connecting -----------------------------------------------------------------------

    def authorize_url(self, *, redirect_uri: str, state: str) -> AuthorizeRedirect:
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self._config("client_id"),
                "redirect_uri": redirect_uri,
                "state": state,
                "scope": " ".join(SCOPES),
            }
        )
        return AuthorizeRedirect(f"{AUTHORIZE_URL}?{query}")

    def _token(self, form: dict[str, str]) -> dict[str, Any]:
        return token_request(
            self.client,
            TOKEN_URL,
            form,
            client_id=self._config("client_id"),
            client_secret=self._config("client_secret"),
            network=NETWORK,
            read_error=read_error,
        )

    def exchange_code_for_person(self, *, code: str, redirect_uri: str) -> Credentials:
        """The member's token: it acts for every page where they are an administrator."""
        token = self._token(
            {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        )
        return credentials_from_token(token, None)

    def exchange_code(self, *, code: str, redirect_uri: str) -> Credentials:
        self.credentials = self.exchange_code_for_person(code=code, redirect_uri=redirect_uri)
        org_id = self._config("organization_id")
        return self.credentials_for(ManagedAccount(id=org_id, name=org_id))

    def managed_accounts(self) -> tuple[ManagedAccount, ...]:
        """The company pages the member administers (organization-access-control-by-role:
        ``GET /rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED``),
        named by ``GET /rest/organizations/{id}``."""
        ids: list[str] = []
        for page in range(_MAX_PAGES):
            body = self._object(
                "GET",
                "/rest/organizationAcls",
                side_effect=False,
                params={
                    "q": "roleAssignee",
                    "role": "ADMINISTRATOR",
                    "state": "APPROVED",
                    "start": page * _ACL_PAGE_SIZE,
                    "count": _ACL_PAGE_SIZE,
                },
            )
            elements = [e for e in body.get("elements") or () if isinstance(e, dict)]
            for acl in elements:
                urn = str(acl.get("organization") or "")
                # Showcase pages (urn:li:organizationBrand:…) are not posted to as pages here.
                org_id = urn.removeprefix(_ORGANIZATION_URN)
                if urn.startswith(_ORGANIZATION_URN) and org_id.isdigit() and org_id not in ids:
                    ids.append(org_id)
            if len(elements) < _ACL_PAGE_SIZE:
                break
        return tuple(self._named_organization(org_id) for org_id in ids[:_MAX_ORGANIZATIONS])

    def _named_organization(self, org_id: str) -> ManagedAccount:
        try:
            org = self._object("GET", f"/rest/organizations/{org_id}", side_effect=False)
        except Rejected:
            # The page is still the member's to choose; it is only shown without its name.
            return ManagedAccount(id=org_id, name="")
        return ManagedAccount(
            id=org_id,
            name=str(org.get("localizedName") or ""),
            handle=str(org.get("vanityName") or ""),
        )

    def credentials_for(self, account: ManagedAccount) -> Credentials:
        return replace(
            self._creds(), extra={"organization_urn": f"{_ORGANIZATION_URN}{account.id}"}
        )

    def login(self, *, identifier: str, secret: str) -> Credentials:
        raise NotSupported(Capability.APP_PASSWORD, self.key)

    def refresh(self) -> Credentials:
        return refresh_grant(
            self._token,
            self._creds(),
            network=NETWORK,
            revoked={"invalid_request", "invalid_grant"},
            no_refresh_token=f"{NETWORK} gave no refresh token to this app; connect the page again",
        )

    def get_account(self) -> AccountProfile:
        org_id = self._config("organization_id")
        org = self._object("GET", f"/rest/organizations/{org_id}", side_effect=False)
        sizes = self._object(
            "GET",
            f"/rest/networkSizes/{urn_path(self._org())}",
            side_effect=False,
            params={"edgeType": "COMPANY_FOLLOWED_BY_MEMBER"},
        )
        vanity = str(org.get("vanityName") or org_id)
        followers = sizes.get("firstDegreeSize")
        return AccountProfile(
            network_id=self._org(),
            handle=vanity,
            display_name=str(org.get("localizedName") or vanity),
            url=f"https://www.linkedin.com/company/{vanity}/",
            followers=followers if isinstance(followers, int) else None,
        )

    # -- publishing -----------------------------------------------------------------------

    def publish(self, request: PublishRequest) -> PublishResult:
        ensure_publishable(request, self.effective_limits(), self.capabilities, self.key)
        # Checked before anything is uploaded; raises Rejected for a video mixed with images.
        content = post_content(
            self._call,
            self._org(),
            request.media,
            title=request.title,
            sleep=self.sleep,
            poll_attempts=self.video_poll_attempts,
            poll_interval=self.video_poll_interval,
        )
        body = post_body(self._org(), escape_little_text(request.full_text))
        if content:
            body["content"] = content
        response = self._call("POST", "/rest/posts", side_effect=True, json=body)
        urn = response.headers.get("x-restli-id")
        if not urn:
            if response.content:
                # Not documented to carry a body; an unreadable one is reported as such.
                parse_json(response, side_effect=True, network=NETWORK)
            msg = f"{NETWORK} accepted the post but sent no x-restli-id; it was probably published"
            raise OutcomeUnknown(msg, status=response.status_code)
        result = PublishResult(network_post_id=urn, url=post_url(urn), published_at=utc_now())
        return publish_chain(request, result, head=urn, post_reply=self._comment_reply)

    def _comment_reply(self, text: str, parent: str, _part: str) -> tuple[str, str]:
        return parent, self._comment(parent, text).network_post_id

    def _comment(self, target: str, text: str) -> PublishResult:
        obj, parent = comment_target(target)
        body: dict[str, Any] = {"actor": self._org(), "object": obj, "message": {"text": text}}
        if parent:
            body["parentComment"] = parent
        response = self._call(
            "POST", f"/rest/socialActions/{urn_path(target)}/comments", side_effect=True, json=body
        )
        created = (
            json_object(response, side_effect=True, network=NETWORK) if response.content else {}
        )
        urn = comment_urn(created) or response.headers.get("x-restli-id", "")
        when = millis_time((created.get("created") or {}).get("time")) or utc_now()
        return PublishResult(network_post_id=urn, url=post_url(obj), published_at=when)

    def delete(self, network_post_id: str) -> None:
        try:
            self._call(
                "DELETE",
                f"/rest/posts/{urn_path(network_post_id)}",
                side_effect=False,
                headers={"X-RestLi-Method": "DELETE"},
            )
        except Rejected as error:
            if error.status not in _GONE:
                raise

    def _recent_posts(self, count: int, start: int = 0) -> list[dict[str, Any]]:
        # Rest.li 2.0 wants the URN percent-encoded inside the query string.
        query = f"q=author&author={urn_path(self._org())}&count={count}&start={start}"
        body = self._object("GET", f"/rest/posts?{query}", side_effect=False)
        return [post for post in body.get("elements") or () if isinstance(post, dict)]

    def find_published(self, request: PublishRequest, *, since: datetime) -> PublishResult | None:
        wanted = fingerprint(request.full_text)
        for page in range(_MAX_PAGES):
            posts = self._recent_posts(_PAGE_SIZE, page * _PAGE_SIZE)
            for post in posts:
                created = millis_time(post.get("publishedAt") or post.get("createdAt"))
                text = unescape_little_text(str(post.get("commentary", "")))
                if created is not None and created >= since and fingerprint(text) == wanted:
                    urn = str(post["id"])
                    return PublishResult(
                        network_post_id=urn, url=post_url(urn), published_at=created
                    )
            oldest = millis_time(posts[-1].get("createdAt")) if posts else None
            if oldest is None or oldest < since:
                return None
        return None

    # -- listening ------------------------------------------------------------------------

    def fetch_mentions(self, *, cursor: str | None) -> Page[Mention]:
        """Comments on the page's latest posts newer than ``cursor`` (a creation time in
        epoch milliseconds). @-mentions of the page elsewhere are not readable this way."""
        since = int(cursor) if cursor and cursor.isdigit() else 0
        newest, found = since, []
        for post in self._recent_posts(_RECENT_POSTS):
            urn = str(post.get("id", ""))
            body = self._object(
                "GET",
                f"/rest/socialActions/{urn_path(urn)}/comments",
                side_effect=False,
                params={"count": _PAGE_SIZE},
            )
            for comment in body.get("elements") or ():
                time = (comment.get("created") or {}).get("time")
                if not isinstance(time, int) or time <= since:
                    continue
                if comment.get("actor") == self._org():
                    continue  # the page's own answers
                mention = mention_from_comment(comment, urn)
                if mention is not None:
                    newest = max(newest, time)
                    found.append(mention)
        found.sort(key=lambda mention: mention.created_at)
        return Page(items=tuple(found), cursor=str(newest) if newest else cursor)

    def fetch_metrics(self, network_post_ids: Sequence[str]) -> tuple[PostMetrics, ...]:
        return tuple(
            metrics_from_social_actions(
                self._object("GET", f"/rest/socialActions/{urn_path(urn)}", side_effect=False), urn
            )
            for urn in network_post_ids
        )

    def reply(self, *, to: str, text: str, idempotency_key: str) -> PublishResult:
        return self._comment(to, text)

    def hide(self, comment_id: str) -> None:
        raise NotSupported(Capability.HIDE, self.key)

    def unhide(self, comment_id: str) -> None:
        raise NotSupported(Capability.HIDE, self.key)
