"""Signed, expiring public addresses of attached files (``public_media``) and the view that
serves them to networks that download media (Instagram, Threads)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import signing
from django.core.files.base import ContentFile
from django.test import Client

from varde.content import public_media
from varde.content.models import Post, PostMedia
from varde.content.services import post_create

pytestmark = pytest.mark.django_db
BASE = "https://varde.example.no"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def public_base(settings):
    settings.BASE_URL = BASE
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "varde.example.no", "93.184.216.34"]


def _media(workspace, editor, *, name: str = "bal.jpg", mime: str = "image/jpeg") -> PostMedia:
    post: Post = post_create(workspace=workspace, author=editor, text="Hei")
    return PostMedia.objects.create(
        post=post,
        file=ContentFile(JPEG, name=name),
        kind=PostMedia.Kind.IMAGE,
        mime_type=mime,
        size_bytes=len(JPEG),
    )


def _path(url: str | None) -> str:
    assert url is not None
    assert url.startswith(f"{BASE}/m/")
    return urlsplit(url).path


@pytest.mark.parametrize(
    "address",
    [
        "http://127.0.0.1:8000",  # the default
        "https://127.0.0.1",
        "https://localhost:8443",
        "https://varde.localhost",
        "https://[::1]",
        "https://10.0.0.7",
        "https://192.168.1.20",
        "https://varde",  # a name without a dot only resolves inside its own network
        "https://varde.lan",
        "https://varde.internal",
        "http://varde.example.no",  # not https
        "https://",
        "",
    ],
)
def test_addresses_the_networks_cannot_reach_are_named(address):
    problem = public_media.public_address_problem(address)
    assert problem is not None
    assert "VARDE_BASE_URL" in problem


@pytest.mark.parametrize(
    "address",
    ["https://varde.example.no", "https://varde.example.no:8443", "https://93.184.216.34"],
)
def test_a_public_https_address_is_accepted(address):
    assert public_media.public_address_problem(address) is None


def test_an_address_varde_does_not_answer_to_is_named(settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    problem = public_media.public_address_problem("https://varde.example.no")
    assert problem is not None
    assert "VARDE_ALLOWED_HOSTS" in problem
    settings.ALLOWED_HOSTS = [".example.no"]
    assert public_media.public_address_problem("https://varde.example.no") is None


def test_round_trip_serves_the_file_with_its_type_and_no_session(workspace, editor):
    media = _media(workspace, editor)
    url = public_media.media_public_url(media)
    path = _path(url)
    assert path.endswith("/bal.jpg")
    response = Client().get(path)  # nobody logged in: this is the network's server asking
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == JPEG
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"].startswith("private")
    assert not response.cookies  # no session, no CSRF cookie
    head = Client().head(path)
    assert head.status_code == 200
    assert head["Content-Length"] == str(len(JPEG))


def test_each_send_gets_a_token_that_stays_valid_for_a_day_only(workspace, editor):
    media = _media(workspace, editor)
    with time_machine.travel(T0, tick=False):
        path = _path(public_media.media_public_url(media))
    with time_machine.travel(T0 + public_media.LIFETIME - timedelta(minutes=1), tick=False):
        assert Client().get(path).status_code == 200
    with time_machine.travel(T0 + public_media.LIFETIME + timedelta(seconds=1), tick=False):
        response = Client().get(path)
    assert response.status_code == 404
    assert response.content == b""


def test_a_tampered_token_or_name_is_not_found(workspace, editor):
    media = _media(workspace, editor)
    path = _path(public_media.media_public_url(media))
    _, prefix, token, name = path.split("/")
    media_id, stamp, signature = token.split(".")
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    tampered = [
        f"/{prefix}/{media_id}.{stamp}.{flipped}/{name}",
        f"/{prefix}/{int(media_id) + 1}.{stamp}.{signature}/{name}",
        f"/{prefix}/{token}/other.jpg",
        f"/{prefix}/{media_id}/{name}",
        f"/{prefix}/{token}/",
        f"/{prefix}/",
    ]
    for address in tampered:
        assert Client().get(address).status_code == 404, address


def test_another_workspaces_file_cannot_be_reached_from_a_token(workspace, other_workspace, editor):
    ours = _media(workspace, editor, name="ours.jpg")
    theirs = _media(other_workspace, editor, name="theirs.jpg")
    path = _path(public_media.media_public_url(ours))
    _, prefix, token, _name = path.split("/")
    _, stamp, signature = token.split(".")
    guesses = [
        # Our valid token with their file's name, and their id under our signature.
        f"/{prefix}/{token}/theirs.jpg",
        f"/{prefix}/{theirs.pk}.{stamp}.{signature}/theirs.jpg",
        # Their id signed for another purpose (another salt or none) is no token here.
        f"/{prefix}/{signing.TimestampSigner(sep='.').sign(str(theirs.pk))}/theirs.jpg",
        f"/{prefix}/{signing.Signer(salt='varde.newsletter', sep='.').sign(str(theirs.pk))}"
        "/theirs.jpg",
    ]
    for address in guesses:
        assert Client().get(address).status_code == 404, address
    assert _path(public_media.media_public_url(theirs)) != path


def test_a_file_that_is_gone_or_not_an_image_or_video_is_not_found(workspace, editor):
    media = _media(workspace, editor)
    path = _path(public_media.media_public_url(media))
    media.file.delete(save=False)
    assert Client().get(path).status_code == 404
    other = _media(workspace, editor, name="notes.txt", mime="text/plain")
    assert Client().get(_path(public_media.media_public_url(other))).status_code == 404


def test_without_a_public_address_no_url_is_made(settings, workspace, editor):
    settings.BASE_URL = "http://127.0.0.1:8000"
    assert public_media.media_public_url(_media(workspace, editor)) is None
    with pytest.raises(public_media.NoPublicAddressError, match="VARDE_BASE_URL"):
        public_media.require_public_address(network="Instagram")


def test_the_problem_is_translated(settings):
    from django.utils import translation

    settings.BASE_URL = "http://127.0.0.1:8000"
    with translation.override("nb"):
        problem = public_media.media_address_problem(network="Instagram")
    assert problem is not None
    assert "VARDE_BASE_URL" in problem
    with translation.override("en"):
        assert problem != public_media.media_address_problem(network="Instagram")
