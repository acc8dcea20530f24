"""Reading Mastodon's paged lists: the account's statuses and its notifications.

Kept apart from ``mastodon.py`` because walking pages (how far back, when to stop, which
cursor to keep) is bookkeeping that reads better on its own than inside ``find_published``
and ``fetch_mentions``.

Reference: https://docs.joinmastodon.org/methods/accounts/#statuses (``max_id`` pages back
in time), https://docs.joinmastodon.org/methods/notifications/ (``min_id``) and
https://docs.joinmastodon.org/api/guidelines/#pagination (the ``Link: rel="prev"`` header
for the newer page).
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx

from varde.connectors.contracts import Mention, Page, PublishResult
from varde.connectors.http import json_list, parse_time
from varde.connectors.mastodon.api import (
    NETWORK,
    content_fingerprint,
    mention_from_notification,
    newer_id,
    status_result,
    text_fingerprint,
)

# One GET, not a side effect: a path or a full URL (a Link header's), and its query or None.
Get = Callable[[str, dict[str, Any] | None], httpx.Response]

PAGE_SIZE = 40
MAX_PAGES = 10


def find_status_by_text(
    get: Get, statuses_path: str, *, text: str, since: datetime
) -> PublishResult | None:
    """The account's status since ``since`` whose visible text is ``text``, newest first,
    stopping at the first page that reaches back before ``since``."""
    wanted = text_fingerprint(text)
    params: dict[str, Any] = {"limit": PAGE_SIZE, "exclude_reblogs": "true"}
    for _ in range(MAX_PAGES):
        response = get(statuses_path, params)
        statuses = [
            s
            for s in json_list(response, side_effect=False, network=NETWORK)
            if isinstance(s, dict)
        ]
        for status in statuses:
            created = parse_time(status.get("created_at"))
            if created is not None and created >= since and content_fingerprint(status) == wanted:
                return status_result(status)
        if not statuses:
            return None
        oldest = parse_time(statuses[-1].get("created_at"))
        if oldest is None or oldest < since:
            return None
        params["max_id"] = str(statuses[-1]["id"])
    return None


def read_notifications(get: Get, *, cursor: str | None, own_id: str | None) -> Page[Mention]:
    """Mentions, replies and direct messages newer than ``cursor`` (a notification id).
    Follows the ``Link: rel="prev"`` pages forward from the cursor; the first call,
    without a cursor, returns only the latest page."""
    first_page: dict[str, Any] = {"types[]": "mention", "limit": PAGE_SIZE}
    if cursor:
        first_page["min_id"] = cursor
    # Later pages come from the Link header, which carries its own query string.
    params: dict[str, Any] | None = first_page
    url: str = "/api/v1/notifications"
    newest = cursor
    found: list[Mention] = []
    for _ in range(MAX_PAGES if cursor else 1):
        response = get(url, params)
        notifications = json_list(response, side_effect=False, network=NETWORK)
        if not notifications:
            break
        for notification in notifications:
            if not isinstance(notification, dict):
                continue
            newest = newer_id(newest, str(notification.get("id", "")))
            mention = mention_from_notification(notification, own_id)
            if mention is not None:
                found.append(mention)
        prev_link = response.links.get("prev", {}).get("url")
        if not prev_link:
            break
        url, params = prev_link, None
    found.sort(key=lambda mention: mention.created_at)
    return Page(items=tuple(found), cursor=newest)
