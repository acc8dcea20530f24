"""A URL a network answers with is shown as a link only when it is an http(s) address.

Issue 15, item 7: a ``javascript:`` URL returned by a network was stored and shown as "View
on the network"; only the CSP stopped it from running when clicked.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from varde.connectors.contracts import AccountProfile, Mention, MentionKind, PublishResult

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HOSTILE = [
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(1)",
    "  javascript:alert(1)",
    "java\tscript:alert(1)",
    "javascript&#58;alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/post",
    "https:alert(1)",
    "file:///etc/passwd",
]
SAFE = ["https://bsky.app/profile/a.test/post/3k", "http://mastodon.local/@a/1"]


@pytest.mark.parametrize("url", HOSTILE)
def test_a_hostile_post_or_mention_url_is_dropped(url: str) -> None:
    result = PublishResult(network_post_id="1", url=url, published_at=NOW)
    mention = Mention(
        id="m",
        kind=MentionKind.COMMENT,
        author_handle="a",
        author_name="A",
        text="hi",
        url=url,
        created_at=NOW,
    )
    profile = AccountProfile(network_id="1", handle="a", display_name="A", url=url, avatar_url=url)
    assert result.url == mention.url == profile.url == ""
    assert profile.avatar_url is None


@pytest.mark.parametrize("url", SAFE)
def test_a_web_address_is_kept(url: str) -> None:
    assert PublishResult(network_post_id="1", url=url, published_at=NOW).url == url


def test_a_newsletter_profile_keeps_its_mailto_address() -> None:
    profile = AccountProfile(network_id="n", handle="n", display_name="N", url="mailto:n@a.no")
    assert profile.url == "mailto:n@a.no"
