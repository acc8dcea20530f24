"""``varde channels sync``: reads now and prints what it read."""

from __future__ import annotations

import pytest

from varde.analytics.models import MetricSnapshot
from varde.cli import main as cli_main
from varde.inbox.models import InboxItem

from .conftest import bluesky_channel, published

pytestmark = pytest.mark.django_db


def test_sync_reads_now_and_prints_what_it_read(workspace, owner, bluesky_routes, capsys):
    from django.utils import timezone

    channel = bluesky_channel(workspace, owner)
    published(channel, at=timezone.now())
    assert cli_main(["channels", "sync", "--workspace", workspace.slug]) == 0
    out = capsys.readouterr().out
    # Two from the notifications, one more from the post's thread (it counts 3 replies).
    assert "Bluesky: 1 metric readings, 3 new replies and mentions." in out
    assert "likes 42, reposts 5, replies 3, quotes 1, views -" in out
    assert "comment from @kari.bsky.social" in out
    assert "comment from @lise.bsky.social" in out
    # Run again at once: metrics are read again (sync ignores the cadence), items are not.
    again = ["channels", "sync", "--workspace", workspace.slug, "--channel", "Bluesky"]
    assert cli_main(again) == 0
    assert "1 metric readings, 0 new replies" in capsys.readouterr().out
    assert MetricSnapshot.objects.count() == 2
    assert InboxItem.objects.count() == 3


def test_sync_says_what_is_wrong(workspace, owner, capsys):
    assert cli_main(["channels", "sync", "--workspace", "nope"]) == 2
    assert "No workspace called 'nope'" in capsys.readouterr().err
    assert cli_main(["channels", "sync", "--workspace", workspace.slug, "--channel", "X"]) == 2
    assert "No channel called 'X'" in capsys.readouterr().err
    assert cli_main(["channels", "sync", "--workspace", workspace.slug]) == 0
    assert "No connected channels" in capsys.readouterr().out
