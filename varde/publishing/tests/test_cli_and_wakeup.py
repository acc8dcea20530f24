from __future__ import annotations

import argparse
import os
import threading
import time

import pytest
from django.test import override_settings

from varde.publishing import cli, wakeup
from varde.publishing.choices import DeliveryState
from varde.publishing.models import Delivery
from varde.worker.loops import discover_loops


def parse(*argv):
    parser = argparse.ArgumentParser()
    cli.add_subcommands(parser.add_subparsers())
    return parser.parse_args(argv)


@pytest.mark.django_db
def test_posts_schedule_and_list(workspace, channel, capsys):
    args = parse(
        "posts",
        "schedule",
        "--workspace",
        workspace.slug,
        "--channel",
        channel.label,
        "--text",
        "From the shell",
        "--at",
        "2025-03-31T09:00",
    )
    assert args.handler(args) == 0
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.SCHEDULED
    assert delivery.scheduled_at.isoformat() == "2025-03-31T07:00:00+00:00"
    args = parse("posts", "list", "--workspace", workspace.slug)
    assert args.handler(args) == 0
    out = capsys.readouterr().out
    assert "From the shell" in out
    assert "scheduled" in out
    assert "2025-03-31 09:00:00" in out


@pytest.mark.django_db
def test_publishing_status(capsys):
    args = parse("publishing", "status")
    assert args.handler(args) == 0
    assert "backlog" in capsys.readouterr().out


def test_publisher_loop_is_registered():
    assert "publisher" in discover_loops()


def test_in_process_wakeup():
    stop = threading.Event()
    with wakeup.WakeListener() as listener:
        threading.Timer(0.05, wakeup.announce).start()
        started = time.monotonic()
        assert listener.wait(5, stop)
        assert time.monotonic() - started < 1


@pytest.mark.skipif(not os.environ.get("VARDE_TEST_REDIS_URL"), reason="needs VARDE_TEST_REDIS_URL")
def test_redis_wakeup_reaches_another_listener():
    with override_settings(REDIS_URL=os.environ["VARDE_TEST_REDIS_URL"]):
        wakeup._redis_client.cache_clear()
        try:
            stop = threading.Event()
            with wakeup.WakeListener() as listener:
                time.sleep(0.3)  # let the subscriber connect
                # Only Redis can deliver this one: the local registry is bypassed.
                wakeup._redis_client().publish(wakeup.channel_name(), b"1")
                assert listener.wait(5, stop)
        finally:
            wakeup._redis_client.cache_clear()


def test_local_wakeup_reaches_a_listener_through_its_socket(settings, tmp_path):
    from varde.publishing import localwake

    settings.DATA_DIR = tmp_path
    settings.REDIS_URL = ""
    assert localwake.enabled()
    woken = threading.Event()
    listener = localwake.LocalListener(woken)
    assert listener.open()
    try:
        assert listener.path is not None
        assert listener.path.parent == tmp_path / "wake"
        # Only the socket can deliver this one: the in-process registry is not involved.
        started = time.monotonic()
        assert localwake.announce() == 1
        assert woken.wait(2)
        assert time.monotonic() - started < 0.5
    finally:
        listener.close()
    assert not listener.path.exists()


def test_local_wakeup_removes_the_socket_of_a_process_that_died(settings, tmp_path):
    import socket

    from varde.publishing import localwake

    settings.DATA_DIR = tmp_path
    settings.REDIS_URL = ""
    (tmp_path / "wake").mkdir()
    dead = tmp_path / "wake" / "999999-dead.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(dead))
    sock.close()  # its file stays behind, as after a SIGKILL
    assert localwake.announce() == 0
    assert not dead.exists()


def test_local_wakeup_is_off_with_redis_or_when_switched_off(settings, tmp_path, monkeypatch):
    from varde.publishing import localwake

    settings.DATA_DIR = tmp_path
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    assert not localwake.enabled()
    settings.REDIS_URL = ""
    monkeypatch.setenv("VARDE_PUBLISH_LOCAL_WAKE", "0")
    assert not localwake.enabled()


@pytest.mark.django_db
def test_posts_list_refuses_an_unknown_status_and_filters_per_channel(
    workspace, channel, second_channel, capsys
):
    args = parse("posts", "list", "--workspace", workspace.slug, "--status", "sent")
    assert args.handler(args) == 2
    assert "published" in capsys.readouterr().err  # the valid states are listed
    args = parse(
        "posts",
        "schedule",
        "--workspace",
        workspace.slug,
        "--channel",
        channel.label,
        "--channel",
        second_channel.label,
        "--text",
        "Two channels",
        "--at",
        "2025-03-31T09:00+02:00",  # an offset is taken as given
    )
    assert args.handler(args) == 0
    first = Delivery.objects.get(channel=channel)
    assert first.scheduled_at.isoformat() == "2025-03-31T07:00:00+00:00"
    Delivery.objects.filter(channel=second_channel).update(
        state=DeliveryState.FAILED, last_error="No links, please"
    )
    capsys.readouterr()
    args = parse("posts", "list", "--workspace", workspace.slug, "--status", "failed")
    assert args.handler(args) == 0
    out = capsys.readouterr().out
    assert "Sandbox B" in out
    assert "No links, please" in out
    assert "Sandbox A" not in out  # the other channel's delivery is not failed
