"""Connector behaviour shared by the three Meta connectors: Facebook, Instagram and Threads.

``graph_api.py`` speaks the wire protocol (errors, rate limits, tokens, paging links, the
Page video upload). This module holds what the three connector classes did alike on top of
it, written once so that a fix reaches all three:

- ``GraphConnector``: every request goes through ``graph_api.call`` with the account's
  token and most answers are one JSON object; edges are read page by page along
  ``paging.next``; none of the three networks has app passwords.
- ``FacebookLoginConnector``: Facebook and Instagram connect through the same Facebook Login
  dialog and long-lived user token (Threads has its own OAuth, in ``threads.py``).
- ``ContainerPublishing``: Instagram and Threads publish through a media container that is
  polled until the network has processed it (Facebook posts at once). The loop is the same;
  the status fields and the words differ, so they are class attributes.
"""

from collections.abc import Iterator
from typing import Any, ClassVar

import httpx

from varde.connectors.base import BaseConnector
from varde.connectors.capabilities import Capability
from varde.connectors.contracts import AuthorizeRedirect, Credentials
from varde.connectors.errors import NotSupported, Rejected, Transient
from varde.connectors.http import json_object
from varde.connectors.meta import graph_api


class GraphConnector(BaseConnector):
    """Calls with the account's token to ``api_root`` (Graph's pinned version by default)."""

    network: ClassVar[str]
    api_root: ClassVar[str] = graph_api.GRAPH

    def _call(self, method: str, path: str, *, side_effect: bool, **kwargs: Any) -> httpx.Response:
        return graph_api.call(
            self.client,
            method,
            path if path.startswith("https://") else f"{self.api_root}{path}",
            token=self._creds().access_token,
            side_effect=side_effect,
            network=self.network,
            **kwargs,
        )

    def _object(
        self, method: str, path: str, *, side_effect: bool, **kwargs: Any
    ) -> dict[str, Any]:
        response = self._call(method, path, side_effect=side_effect, **kwargs)
        return json_object(response, side_effect=side_effect, network=self.network)

    def _pages(
        self, path: str, params: dict[str, Any], *, max_pages: int
    ) -> Iterator[dict[str, Any]]:
        """The answers of a GET on an edge, one page after another (see ``graph_api.pages``)."""
        return graph_api.pages(
            lambda url, query: self._object("GET", url, side_effect=False, params=query),
            path,
            params,
            max_pages=max_pages,
        )

    def login(self, *, identifier: str, secret: str) -> Credentials:
        raise NotSupported(Capability.APP_PASSWORD, self.key)


class FacebookLoginConnector(GraphConnector):
    """Facebook Login's server-side code flow with the app secret (no PKCE: Varde is a
    confidential client), ending in the person's long-lived user token."""

    scopes: ClassVar[tuple[str, ...]]

    def authorize_url(self, *, redirect_uri: str, state: str) -> AuthorizeRedirect:
        url = graph_api.dialog_url(
            client_id=self._config("client_id"),
            redirect_uri=redirect_uri,
            state=state,
            scopes=self.scopes,
        )
        return AuthorizeRedirect(url)

    def exchange_code_for_person(self, *, code: str, redirect_uri: str) -> Credentials:
        """The signed-in person's long-lived user token: it lists their Pages (and the
        Instagram accounts linked to them), and Instagram is used with it."""
        return graph_api.long_lived_user_token(
            self.client,
            client_id=self._config("client_id"),
            client_secret=self._config("client_secret"),
            network=self.network,
            code=code,
            redirect_uri=redirect_uri,
        )


class ContainerPublishing(GraphConnector):
    """Waiting for a media container (Instagram's and Threads' two-step publishing)."""

    container_poll_interval: ClassVar[float]
    container_poll_attempts: ClassVar[int]
    # The container's field that holds IN_PROGRESS, FINISHED, ERROR, ... and the one with
    # the network's reason when it failed.
    container_status_field: ClassVar[str]
    container_reason_field: ClassVar[str]
    # What the person reads when the network gave no reason ({status} is filled in), and
    # when it is still processing after the last poll.
    container_failed: ClassVar[str]
    container_pending: ClassVar[str]

    def _wait_for_container(self, container: str) -> None:
        status_field, reason_field = self.container_status_field, self.container_reason_field
        for attempt in range(self.container_poll_attempts):
            body = self._object(
                "GET",
                f"/{container}",
                side_effect=False,
                params={"fields": f"{status_field},{reason_field}"},
            )
            status = body.get(status_field)
            if status in {"FINISHED", "PUBLISHED"}:
                return
            if status in {"ERROR", "EXPIRED"}:
                reason = body.get(reason_field) or self.container_failed.format(status=status)
                raise Rejected(str(reason), code=str(status))
            if attempt + 1 < self.container_poll_attempts:
                self.sleep(self.container_poll_interval)
        raise Transient(self.container_pending)
