from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.channels.models import ConnectedAccount


def make_channel(workspace, key: str, label: str | None = None, **extra) -> ConnectedAccount:
    return ConnectedAccount.objects.create(
        workspace=workspace, connector_key=key, label=label or key.title(), **extra
    )


@pytest.fixture
def x_channel(workspace):
    return make_channel(workspace, "x", "Acme on X", handle="@acme")


@pytest.fixture
def bluesky_channel(workspace):
    return make_channel(workspace, "bluesky", "Acme on Bluesky")


@pytest.fixture
def instagram_channel(workspace):
    return make_channel(workspace, "instagram", "Acme on Instagram")


@pytest.fixture
def contributor(workspace):
    return member(workspace, Role.CONTRIBUTOR)


@pytest.fixture
def analyst(workspace):
    return member(workspace, Role.ANALYST)


def png_upload(width: int = 64, height: int = 48, name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture(autouse=True)
def english():
    # The tests read messages in English; the bokmål catalogue has them all too.
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
