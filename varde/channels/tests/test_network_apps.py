"""Settings → Networks: the installation owner's app ids and secrets, encrypted at rest, used
to sign in, and overruled by the environment whenever it sets an app."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.utils import translation

from varde.accounts.audit_sentences import describe
from varde.accounts.models import AuditEvent
from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.channels import network_apps, selectors, services
from varde.channels.models import NetworkApp

pytestmark = pytest.mark.django_db

PAGE = "/w/acme/settings/networks/"
META_SECRET = "0123456789abcdef0123456789abcdef"
NO_APPS = {
    app: {"client_id": "", "client_secret": ""}
    for app in ("x", "linkedin", "google", "meta", "threads")
}


@pytest.fixture
def no_environment(settings):
    """No app in the environment: what the owner saves is what counts."""
    settings.VARDE_OAUTH_APPS = {app: dict(values) for app, values in NO_APPS.items()}
    settings.BASE_URL = "https://varde.example"
    return settings.VARDE_OAUTH_APPS


@pytest.fixture
def host(workspace):
    """The owner of this installation, and a member of the workspace."""
    user = member(workspace, Role.EDITOR, email="host@example.test")
    user.is_superuser = user.is_staff = True
    user.save(update_fields=["is_superuser", "is_staff"])
    return user


def _save_meta(client, *, client_id="1234567890", secret=META_SECRET):
    return client.post(
        f"{PAGE}meta/save/", {"meta-client_id": client_id, "meta-client_secret": secret}
    )


def _start_query(client, network: str) -> dict[str, str]:
    response = client.post(f"/w/acme/channels/connect/{network}/", {"method": "oauth"})
    assert response.status_code == 302, response.content[:400]
    return {k: v[0] for k, v in parse_qs(urlsplit(response["Location"]).query).items()}


# -- who may see it -------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_workspace_roles_without_installation_ownership_are_refused(
    role, workspace, client_as, no_environment
):
    user = member(workspace, role)
    client = client_as(user)
    assert client.get(PAGE).status_code == 403
    assert _save_meta(client).status_code == 403
    assert client.get(f"{PAGE}guides/facebook/").status_code == 403
    assert not NetworkApp.objects.exists()


def test_a_stranger_gets_nothing(client, client_as, other_workspace, no_environment):
    assert client.get(PAGE).status_code == 302  # to the login page
    outsider = member(other_workspace, Role.OWNER)
    outsider.is_superuser = True
    outsider.save(update_fields=["is_superuser"])
    # The owner of the installation, but not a member of this workspace: as for anyone else.
    assert client_as(outsider).get(PAGE).status_code == 404


def test_the_owner_sees_every_app_with_its_callback_and_guides(client_as, host, no_environment):
    html = client_as(host).get(PAGE).content.decode()
    for title in ("X", "LinkedIn", "Facebook Page / Instagram", "Threads", "YouTube"):
        assert f"<h2>{title}</h2>" in html
    assert 'value="https://varde.example/channels/oauth/callback/"' in html
    assert "/w/acme/settings/networks/guides/instagram/" in html
    assert html.count("Not set up yet.") == 5


def test_the_settings_menu_shows_networks_only_to_the_owner(client_as, host, owner):
    assert PAGE.encode() in client_as(host).get("/w/acme/settings/").content
    assert PAGE.encode() not in client_as(owner).get("/w/acme/settings/").content


# -- saving: encrypted, never shown again, recorded -----------------------------------------


def test_the_secret_is_encrypted_at_rest_and_never_shown_again(client_as, host, no_environment):
    client = client_as(host)
    response = _save_meta(client)
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}#app-meta"
    with connection.cursor() as cursor:
        cursor.execute("SELECT client_id, client_secret_encrypted FROM channels_networkapp")
        (client_id, stored) = cursor.fetchone()
    assert client_id == "1234567890"
    assert META_SECRET not in stored
    assert META_SECRET[4:-4] not in stored
    html = client.get(PAGE).content.decode()
    assert META_SECRET not in html
    assert "it ends in …cdef" in html
    assert network_apps.app_credentials("meta", needs_secret=True) == {
        "client_id": "1234567890",
        "client_secret": META_SECRET,
    }


def test_an_empty_secret_keeps_the_saved_one_and_a_new_one_replaces_it(
    client_as, host, no_environment
):
    client = client_as(host)
    _save_meta(client)
    assert _save_meta(client, client_id="999", secret="").status_code == 302
    assert network_apps.app_credentials("meta", needs_secret=True) == {
        "client_id": "999",
        "client_secret": META_SECRET,
    }
    _save_meta(client, client_id="999", secret="new-secret-value")
    credentials = network_apps.app_credentials("meta", needs_secret=True)
    assert credentials is not None
    assert credentials["client_secret"] == "new-secret-value"


def test_a_first_save_needs_the_secret_except_for_x(client_as, host, no_environment):
    client = client_as(host)
    refused = _save_meta(client, secret="")
    assert refused.status_code == 400
    assert not NetworkApp.objects.exists()
    saved = client.post(f"{PAGE}x/save/", {"x-client_id": "x-public-client"})
    assert saved.status_code == 302
    assert network_apps.app_credentials("x", needs_secret=False) == {"client_id": "x-public-client"}


def test_values_with_spaces_are_refused(client_as, host, no_environment):
    response = _save_meta(client_as(host), client_id="123 456")
    assert response.status_code == 400
    assert "An app id has no spaces" in response.content.decode()


def test_changes_are_in_the_audit_log_without_the_values(client_as, host, no_environment):
    client = client_as(host)
    _save_meta(client)
    saved = AuditEvent.objects.get(action="network_app.saved")
    assert saved.actor == host
    assert saved.detail == {"app": "meta", "changed": ["client_id", "client_secret"]}
    assert META_SECRET not in str(saved.detail) + saved.target_label
    # The log names the networks the app signs in to, never the app's key.
    sentence = describe(saved, zone="Europe/Oslo").sentence
    assert "Facebook" in sentence
    assert "meta" not in sentence
    # Removing asks first, and says how many channels it affects.
    confirm = client.get(f"{PAGE}meta/remove/")
    assert "0 channels on this Varde sign in with this app" in confirm.content.decode()
    assert NetworkApp.objects.exists()
    assert client.post(f"{PAGE}meta/remove/").status_code == 302
    assert not NetworkApp.objects.exists()
    assert AuditEvent.objects.filter(action="network_app.removed", actor=host).exists()
    assert network_apps.app_credentials("meta", needs_secret=True) is None


# -- the environment wins -------------------------------------------------------------------


def test_the_environment_wins_and_the_form_is_read_only(client_as, host, no_environment):
    services.network_app_save(app="meta", client_id="saved-id", client_secret="s", actor=host)
    no_environment["meta"] = {"client_id": "env-id", "client_secret": "env-secret"}
    assert network_apps.app_credentials("meta", needs_secret=True) == {
        "client_id": "env-id",
        "client_secret": "env-secret",
    }
    client = client_as(host)
    html = client.get(PAGE).content.decode()
    assert "VARDE_META_CLIENT_ID" in html
    assert "which wins over anything entered here" in html
    assert 'action="/w/acme/settings/networks/meta/save/"' not in html
    refused = _save_meta(client, client_id="other")
    assert refused.status_code == 400
    assert NetworkApp.objects.get().client_id == "saved-id"


def test_an_environment_id_is_never_paired_with_a_saved_secret(host, no_environment):
    services.network_app_save(app="meta", client_id="saved-id", client_secret="s", actor=host)
    no_environment["meta"] = {"client_id": "env-id", "client_secret": ""}
    assert network_apps.app_credentials("meta", needs_secret=True) is None


# -- the connectors use what was saved ------------------------------------------------------


def test_signing_in_uses_the_saved_app_id(client_as, host, owner, no_environment):
    services.network_app_save(
        app="meta", client_id="saved-meta-app", client_secret=META_SECRET, actor=host
    )
    query = _start_query(client_as(owner), "facebook")
    assert query["client_id"] == "saved-meta-app"
    assert query["redirect_uri"] == "https://varde.example/channels/oauth/callback/"
    assert _start_query(client_as(owner), "instagram")["client_id"] == "saved-meta-app"


def test_signing_in_uses_the_environment_over_the_saved_app(client_as, host, owner, no_environment):
    services.network_app_save(app="google", client_id="saved-google", client_secret="g", actor=host)
    no_environment["google"] = {"client_id": "env-google", "client_secret": "env-g"}
    assert _start_query(client_as(owner), "youtube")["client_id"] == "env-google"


def test_a_connected_channel_renews_with_the_saved_app(host, workspace, no_environment):
    services.network_app_save(app="x", client_id="x-saved", client_secret="x-sec", actor=host)
    channel = services.channel_connect(
        workspace=workspace, connector_key="x", label="X", actor=host
    )
    config = selectors.connector_for(channel).config
    assert config["client_id"] == "x-saved"
    assert config["client_secret"] == "x-sec"
    assert "client_id" not in channel.config  # never stored with the account


def test_the_connect_card_follows_the_saved_app(client_as, host, owner, no_environment):
    before = client_as(owner).get("/w/acme/channels/connect/").content.decode()
    assert "The owner of this Varde sets it up in Settings." in before
    services.network_app_save(app="meta", client_id="m", client_secret="s", actor=host)
    after = client_as(owner).get("/w/acme/channels/connect/").content.decode()
    assert "Connect Facebook" in after
    assert "Connect Instagram" in after
    assert "Connect LinkedIn" not in after


# -- both languages and the guide -----------------------------------------------------------


def test_the_page_in_bokmal(client_as, host, no_environment):
    host.language = "nb"
    host.save(update_fields=["language"])
    html = client_as(host).get(PAGE).content.decode()
    with translation.override("nb"):
        assert translation.gettext("Not set up yet.") in html
        assert translation.gettext("Not set up yet.") != "Not set up yet."
        assert translation.gettext("Redirect (callback) URL: copy it into the app") in html
    assert "Not set up yet." not in html


def test_the_guide_shows_the_documentation_page(client_as, host, no_environment):
    html = client_as(host).get(f"{PAGE}guides/facebook/").content.decode()
    assert "pages_manage_posts" in html  # a scope the connector asks for
    assert 'value="https://varde.example/channels/oauth/callback/"' in html
    assert client_as(host).get(f"{PAGE}guides/bluesky/").status_code == 404


def test_a_short_secret_is_not_hinted_at(client_as, host, no_environment):
    services.network_app_save(app="meta", client_id="m", client_secret="zq-short-qx9", actor=host)
    html = client_as(host).get(PAGE).content.decode()
    assert "A secret is saved. Leave the field empty to keep it" in html
    assert "qx9" not in html.split('id="app-meta"')[1].split("</section>")[0]
