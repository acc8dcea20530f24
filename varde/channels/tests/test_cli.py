"""`varde channels connect` and `varde channels list`."""

from __future__ import annotations

import pytest

from varde.channels.models import ConnectedAccount
from varde.cli import main

from .conftest import fixture

pytestmark = pytest.mark.django_db

PDS = "https://pds.example"


def test_connect_bluesky_from_the_command_line(workspace, owner, respx_mock, capsys):
    login = respx_mock.post(f"{PDS}/xrpc/com.atproto.server.createSession").respond(
        json=fixture("bluesky", "createSession")
    )
    respx_mock.get(f"{PDS}/xrpc/app.bsky.actor.getProfile").respond(
        json=fixture("bluesky", "getProfile")
    )
    code = main(
        [
            "channels",
            "connect",
            "bluesky",
            "--workspace",
            "acme",
            "--service",
            PDS,
            "--handle",
            "varde.bsky.social",
            "--app-password",
            "abcd-efgh-ijkl-mnop",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert login.called
    channel = ConnectedAccount.objects.get()
    assert channel.owner == owner  # the workspace's owner is told when it needs attention
    assert f"channel {channel.pk}" in out
    assert "varde.bsky.social" in out


def test_connect_mastodon_keeps_the_instance_limit(
    workspace, owner, respx_mock, mastodon_instance, capsys
):
    respx_mock.get("https://mastodon.example/api/v1/accounts/verify_credentials").respond(
        json=fixture("mastodon", "verify_credentials")
    )
    args = ["channels", "connect", "mastodon", "--workspace", "acme"]
    code = main([*args, "--instance", "https://mastodon.example", "--token", "tok"])
    assert code == 0, capsys.readouterr().err
    assert mastodon_instance.called
    assert ConnectedAccount.objects.get().config["max_characters"] == "1000"


def test_connect_refused_exits_2_with_one_sentence(workspace, owner, respx_mock, capsys):
    respx_mock.get("https://mastodon.example/api/v1/accounts/verify_credentials").respond(
        401, json=fixture("mastodon", "error_token")
    )
    code = main(
        [
            "channels",
            "connect",
            "mastodon",
            "--workspace",
            "acme",
            "--instance",
            "https://mastodon.example",
            "--token",
            "bad",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert "The access token is invalid" in err
    assert not ConnectedAccount.objects.exists()


def test_connect_wordpress_and_webhook(workspace, owner, respx_mock, capsys):
    respx_mock.get("https://blogg.example/wp-json/wp/v2/users/me").respond(
        json=fixture("wordpress", "users_me")
    )
    assert (
        main(
            [
                "channels",
                "connect",
                "wordpress",
                "--workspace",
                "acme",
                "--site",
                "https://blogg.example",
                "--user",
                "redaksjon",
                "--app-password",
                "x y z",
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "channels",
                "connect",
                "webhook",
                "--workspace",
                "acme",
                "--label",
                "Intranett",
                "--url",
                "https://hooks.example/in",
                "--secret",
                "0123456789abcdef",
            ]
        )
        == 0
    )
    assert sorted(ConnectedAccount.objects.values_list("connector_key", flat=True)) == [
        "webhook",
        "wordpress",
    ]


def test_unknown_workspace_and_ssrf(workspace, owner, monkeypatch, capsys):
    from varde.channels import connecting

    assert main(["channels", "list", "--workspace", "nope"]) == 2
    monkeypatch.setattr(connecting, "resolver", lambda host, port: ["192.168.1.10"])
    code = main(
        [
            "channels",
            "connect",
            "webhook",
            "--workspace",
            "acme",
            "--url",
            "http://router.local/hook",
            "--secret",
            "0123456789abcdef",
        ]
    )
    assert code == 2
    assert "Varde will not use this address" in capsys.readouterr().err


def test_list(workspace, owner, capsys):
    from varde.sandbox.services import sandbox_channel_create

    sandbox_channel_create(workspace=workspace, label="Prøvekanal", actor=owner)
    assert main(["channels", "list", "--workspace", "acme"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["ID", "LABEL", "NETWORK", "HANDLE", "STATUS", "LAST", "SUCCESS"]
    assert "Prøvekanal" in out[1]
    assert "connected" in out[1]
    assert "never" in out[1]
