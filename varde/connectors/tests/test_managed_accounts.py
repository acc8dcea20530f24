"""Listing what a signed-in person manages (Facebook Pages, Instagram accounts linked to them,
LinkedIn company pages), replayed from the documented answers, and the credentials stored for
the one they choose."""

import pytest

from varde.connectors import registry
from varde.connectors.contracts import Credentials
from varde.connectors.errors import AuthExpired, Rejected
from varde.connectors.linkedin.connector import LinkedInConnector
from varde.connectors.managed import ManagedAccount, lists_managed_accounts
from varde.connectors.meta.facebook import FacebookConnector
from varde.connectors.meta.instagram import InstagramConnector
from varde.connectors.tests.conftest import FakeNetwork, load, reply

META = {"client_id": "fb", "client_secret": "s"}
USER_TOKEN = "EAAGm0PX4ZCpsBALongLived"
NEXT_PAGE = "/v21.0/10229876543210987/accounts"


def _person() -> Credentials:
    return Credentials(access_token=USER_TOKEN)


def test_only_the_page_networks_list_managed_accounts() -> None:
    keys = ("bluesky", "mastodon", "x", "threads", "youtube", "facebook", "instagram", "linkedin")
    listing = {key for key in keys if lists_managed_accounts(registry.get(key))}
    assert listing == {"facebook", "instagram", "linkedin"}


def test_facebook_lists_pages_across_pages_of_results(fake: FakeNetwork) -> None:
    fake.on("GET", "/v21.0/me/accounts", reply(200, load("facebook", "me_accounts")))
    fake.on("GET", NEXT_PAGE, reply(200, load("facebook", "me_accounts_next")))
    person = FacebookConnector(config=META, client=fake.client())
    fake.on(
        "GET",
        "/v21.0/oauth/access_token",
        reply(200, load("facebook", "oauth_short")),
        reply(200, load("facebook", "oauth_long")),
    )
    creds = person.exchange_code_for_person(code="c", redirect_uri="https://varde.example/cb")
    assert creds.access_token == USER_TOKEN

    connector = FacebookConnector(credentials=creds, config=META, client=fake.client())
    pages = connector.managed_accounts()

    assert [(p.id, p.name, p.can_post) for p in pages] == [
        ("104512345678901", "Varde Norge", True),
        ("104598765432109", "Kaffebaren på Torget ☕", False),  # ANALYZE and ADVERTISE only
        ("104577777777777", "Bjørke <Båtlag> & Co", True),
    ]
    first = fake.calls("GET", "/v21.0/me/accounts")[0]
    assert first.url.params["fields"] == "id,name,access_token,tasks"
    assert first.headers["Authorization"] == f"Bearer {USER_TOKEN}"
    assert "access_token" not in first.url.params  # the token travels in the header only
    assert fake.calls("GET", NEXT_PAGE)[0].url.params["after"] == "QVFIUmdkYmFy"
    # The tokens are kept out of repr, so they never land in a log line.
    assert "PageToken" not in repr(pages)

    stored = connector.credentials_for(pages[0])
    assert stored.access_token == "EAAGm0PX4ZCpsBAPageTokenVardeNorge"
    assert stored.extra == {"page_id": "104512345678901"}


def test_facebook_without_pages_and_without_a_page_token(fake: FakeNetwork) -> None:
    fake.on("GET", "/v21.0/me/accounts", reply(200, load("facebook", "me_accounts_empty")))
    connector = FacebookConnector(credentials=_person(), config=META, client=fake.client())
    assert connector.managed_accounts() == ()
    with pytest.raises(Rejected, match="no access to this Page"):
        connector.credentials_for(ManagedAccount(id="1", name="Uten token"))


def test_facebook_expired_user_token_while_listing(fake: FakeNetwork) -> None:
    fake.on("GET", "/v21.0/me/accounts", reply(400, load("facebook", "error_token_expired")))
    connector = FacebookConnector(credentials=_person(), config=META, client=fake.client())
    with pytest.raises(AuthExpired):
        connector.managed_accounts()


def test_instagram_lists_the_accounts_linked_to_pages(fake: FakeNetwork) -> None:
    fake.on("GET", "/v21.0/me/accounts", reply(200, load("instagram", "me_accounts")))
    connector = InstagramConnector(credentials=_person(), config=META, client=fake.client())
    accounts = connector.managed_accounts()
    assert [(a.id, a.handle, a.via, a.can_post) for a in accounts] == [
        ("17841405822304914", "varde.norge", "Varde Norge", True),
        ("17841400000000001", "kaffebaren", "Kaffebaren på Torget ☕", False),
    ]  # the Page without a linked Instagram account is left out
    fields = fake.calls("GET", "/v21.0/me/accounts")[0].url.params["fields"]
    assert fields == "id,name,tasks,instagram_business_account{id,username}"

    stored = connector.credentials_for(accounts[0])
    assert stored.access_token == USER_TOKEN  # Instagram is used with the person's token
    assert stored.extra == {"ig_user_id": "17841405822304914", "username": "varde.norge"}
    assert "instagram_content_publish" in stored.scopes


def test_instagram_with_no_linked_account(fake: FakeNetwork) -> None:
    fake.on("GET", "/v21.0/me/accounts", reply(200, load("instagram", "me_accounts_unlinked")))
    connector = InstagramConnector(credentials=_person(), config=META, client=fake.client())
    assert connector.managed_accounts() == ()


def _linkedin(fake: FakeNetwork) -> LinkedInConnector:
    return LinkedInConnector(
        credentials=Credentials(access_token="AQXmember", refresh_token="AQWrefresh"),
        config={"client_id": "li", "client_secret": "s"},
        client=fake.client(),
    )


def test_linkedin_lists_the_pages_the_member_administers(fake: FakeNetwork) -> None:
    fake.on("GET", "/rest/organizationAcls", reply(200, load("linkedin", "organization_acls")))
    fake.on("GET", "/rest/organizations/2414183", reply(200, load("linkedin", "organization")))
    fake.on(
        "GET", "/rest/organizations/5590506", reply(200, load("linkedin", "organization_second"))
    )
    connector = _linkedin(fake)
    pages = connector.managed_accounts()
    assert [(p.id, p.name, p.handle) for p in pages] == [
        ("2414183", "Varde Norge AS", "varde-norge"),
        ("5590506", "Fjordkafé <Ålesund>", "fjordkafe"),
    ]  # the showcase page (organizationBrand) is left out
    acl = fake.calls("GET", "/rest/organizationAcls")[0]
    assert dict(acl.url.params) == {
        "q": "roleAssignee",
        "role": "ADMINISTRATOR",
        "state": "APPROVED",
        "start": "0",
        "count": "100",
    }
    assert acl.headers["LinkedIn-Version"] == "202605"
    assert acl.headers["X-Restli-Protocol-Version"] == "2.0.0"
    assert acl.headers["Authorization"] == "Bearer AQXmember"

    stored = connector.credentials_for(pages[1])
    assert stored.access_token == "AQXmember"
    assert stored.refresh_token == "AQWrefresh"
    assert stored.extra == {"organization_urn": "urn:li:organization:5590506"}


def test_linkedin_page_whose_name_cannot_be_read_is_still_listed(fake: FakeNetwork) -> None:
    fake.on("GET", "/rest/organizationAcls", reply(200, load("linkedin", "organization_acls")))
    fake.on("GET", "/rest/organizations/2414183", reply(403, load("linkedin", "error_forbidden")))
    fake.on(
        "GET", "/rest/organizations/5590506", reply(200, load("linkedin", "organization_second"))
    )
    pages = _linkedin(fake).managed_accounts()
    assert [(p.id, p.name) for p in pages] == [
        ("2414183", ""),
        ("5590506", "Fjordkafé <Ålesund>"),
    ]


def test_linkedin_member_without_pages(fake: FakeNetwork) -> None:
    fake.on(
        "GET", "/rest/organizationAcls", reply(200, load("linkedin", "organization_acls_empty"))
    )
    assert _linkedin(fake).managed_accounts() == ()
    assert not fake.calls("GET", "/rest/organizations/2414183")


def test_linkedin_person_token_is_not_tied_to_a_page(fake: FakeNetwork) -> None:
    fake.on("POST", "/oauth/v2/accessToken", reply(200, load("linkedin", "token")))
    connector = LinkedInConnector(
        config={"client_id": "li", "client_secret": "s"}, client=fake.client()
    )
    person = connector.exchange_code_for_person(code="c", redirect_uri="https://varde.example/cb")
    assert person.extra == {}
    assert person.refresh_token == "AQWAft_WjYZKwuWXLC5hQlghgTam"
