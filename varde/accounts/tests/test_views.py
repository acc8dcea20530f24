from __future__ import annotations

import re
import time
from datetime import UTC, datetime

import pyotp
import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from varde.accounts import mfa
from varde.accounts.models import AuditEvent, Membership
from varde.accounts.roles import Role
from varde.accounts.tests.factories import TEST_PASSWORD, UserFactory, WorkspaceFactory, member
from varde.lib.crypto import decrypt_secret

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def test_login_lands_in_the_users_workspace(client, workspace, owner):
    response = client.post(LOGIN, {"email": owner.email.upper(), "password": TEST_PASSWORD})
    assert response.status_code == 302
    home = client.get(response["Location"])
    assert home.status_code == 302
    assert home["Location"] == f"/w/{workspace.slug}/"
    assert AuditEvent.objects.filter(action="user.logged_in", actor=owner).exists()


def test_wrong_password_is_refused_in_plain_words(client, owner):
    response = client.post(LOGIN, {"email": owner.email, "password": "nope"})
    assert response.status_code == 200
    assert "wrong" in response.content.decode() or "feil" in response.content.decode()


def test_login_is_throttled_after_repeated_failures(client, owner, settings):
    settings.VARDE_LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        client.post(LOGIN, {"email": owner.email, "password": "nope"})
    # Even the right password is refused while the address is throttled.
    response = client.post(LOGIN, {"email": owner.email, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_ignores_an_offsite_next(client, owner):
    response = client.post(
        LOGIN, {"email": owner.email, "password": TEST_PASSWORD, "next": "https://evil.test/"}
    )
    assert response["Location"] == "/"


@pytest.fixture
def clock():
    """A stopped clock: each TOTP code is good once (the one that turned MFA on included),
    so a test moves to the next 30-second step with ``clock.shift(30)``."""
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, 5, tzinfo=UTC), tick=False) as traveller:
        yield traveller


def test_mfa_setup_then_login_needs_the_code(client, owner, clock):
    client.force_login(owner)
    client.get(reverse("accounts:mfa_setup"))
    secret = decrypt_secret(client.session["varde_mfa_setup_secret"])
    bad = client.post(reverse("accounts:mfa_setup"), {"code": "000000"})
    assert bad.status_code == 200
    client.post(reverse("accounts:mfa_setup"), {"code": pyotp.TOTP(secret).now()})
    owner.refresh_from_db()
    assert owner.mfa_enabled
    assert secret not in owner.totp_secret_encrypted  # stored encrypted

    client.logout()
    clock.shift(30)
    response = client.post(LOGIN, {"email": owner.email, "password": TEST_PASSWORD})
    assert response["Location"] == reverse("accounts:login_code")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("accounts:login_code"), {"code": "123456"})
    assert wrong.status_code == 200
    right = client.post(reverse("accounts:login_code"), {"code": pyotp.TOTP(secret).now()})
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_mfa_can_be_turned_off_with_a_code(client, owner, clock):
    secret = mfa.new_secret()
    mfa.mfa_enable(user=owner, secret=secret, code=pyotp.TOTP(secret).now())
    client.force_login(owner)
    clock.shift(30)
    client.post(reverse("accounts:mfa_off"), {"code": pyotp.TOTP(secret).now()})
    owner.refresh_from_db()
    assert not owner.mfa_enabled


def test_invitation_link_creates_an_account_and_joins(
    client, workspace, owner, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("workspace_settings:invite", kwargs={"workspace": workspace.slug}),
            {"email": "ny@example.test", "role": "contributor"},
        )
    link = re.search(r"http\S+/accounts/invitation/\S+/", mail.outbox[0].body)
    assert link
    path = link.group(0).split("8000", 1)[-1]
    client.logout()
    page = client.get(path)
    assert page.status_code == 200
    response = client.post(path, {"full_name": "Nina Ny", "password": "a long new passphrase 42"})
    assert response.status_code == 302
    joined = Membership.objects.get(user__email="ny@example.test")
    assert joined.role == Role.CONTRIBUTOR
    assert client.get(path).status_code == 404  # used once


def test_password_reset_sends_a_working_link(client, owner):
    client.post(reverse("accounts:password_reset"), {"email": owner.email})
    assert len(mail.outbox) == 1
    link = re.search(r"/accounts/password-reset/\S+/\S+/", mail.outbox[0].body)
    assert link
    form = client.get(link.group(0), follow=True)
    assert form.status_code == 200
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "brand new passphrase 77", "new_password2": "brand new passphrase 77"},
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("brand new passphrase 77")


def test_language_follows_the_user_then_the_workspace(client, workspace, owner):
    workspace.language = "nb"
    workspace.save()
    client.force_login(owner)
    page = client.get(f"/w/{workspace.slug}/settings/")
    assert page["Content-Language"] == "nb"
    client.post(reverse("accounts:language"), {"language": "en", "next": "/"})
    page = client.get(f"/w/{workspace.slug}/settings/")
    assert page["Content-Language"] == "en"
    assert "Settings" in page.content.decode()


def test_members_page_shows_only_this_workspaces_people(client, workspace, owner):
    stranger_space = WorkspaceFactory()
    stranger = member(stranger_space, Role.OWNER, full_name="Hemmelig Person")
    client.force_login(owner)
    page = client.get(f"/w/{workspace.slug}/settings/members/").content.decode()
    assert owner.full_name in page
    assert stranger.full_name not in page


def test_a_membership_id_from_another_workspace_is_not_found(client, workspace, owner):
    stranger_space = WorkspaceFactory()
    stranger = member(stranger_space, Role.EDITOR)
    theirs = Membership.objects.get(user=stranger)
    client.force_login(owner)
    response = client.post(
        f"/w/{workspace.slug}/settings/members/{theirs.pk}/remove/",
    )
    assert response.status_code == 404
    assert Membership.objects.filter(pk=theirs.pk).exists()


def test_untrusted_names_are_escaped(client, workspace, owner):
    member(workspace, Role.EDITOR, full_name="<script>alert(1)</script>")
    client.force_login(owner)
    page = client.get(f"/w/{workspace.slug}/settings/members/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_user_without_workspace_is_told_so(client):
    client.force_login(UserFactory())
    page = client.get("/", follow=True)
    assert page.status_code == 200
    assert b"invite" in page.content.lower() or b"invitasjon" in page.content.lower()


# -- the lock-out attack (issue 15, item 1) ------------------------------------------------


def test_a_strangers_failures_never_block_another_users_correct_password(client, owner):
    # Five wrong passwords for five other (even non-existent) e-mails from the same address:
    # the old per-address count locked everyone behind that address out for 15 minutes.
    for n in range(5):
        client.post(LOGIN, {"email": f"nobody{n}@example.test", "password": "nope"})
    response = client.post(LOGIN, {"email": owner.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_users_behind_one_proxy_are_told_apart_by_the_trusted_header(client, owner, settings):
    settings.VARDE_TRUSTED_PROXIES = 1
    settings.VARDE_LOGIN_MAX_FAILURES = 3
    stranger = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.66"}
    for _ in range(3):
        client.post(LOGIN, {"email": owner.email, "password": "nope"}, **stranger)
    blocked = client.post(LOGIN, {"email": owner.email, "password": TEST_PASSWORD}, **stranger)
    assert blocked.status_code == 200
    user = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.5"}
    response = client.post(LOGIN, {"email": owner.email, "password": TEST_PASSWORD}, **user)
    assert response.status_code == 302


def test_a_forged_forwarded_header_is_ignored_without_trusted_proxies(client, owner, settings):
    settings.VARDE_LOGIN_MAX_FAILURES = 3
    for n in range(3):
        # An attacker rotating a made-up X-Forwarded-For does not escape the pair limit.
        client.post(
            LOGIN,
            {"email": owner.email, "password": "nope"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    response = client.post(LOGIN, {"email": owner.email, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_targeted_account_still_gets_in_from_a_browser_it_used_before(client, owner, settings):
    settings.VARDE_LOGIN_MAX_FAILURES_PER_ACCOUNT = 4
    client.post(LOGIN, {"email": owner.email, "password": TEST_PASSWORD})  # sets the cookie
    client.post("/accounts/logout/")
    for n in range(4):  # a guessing campaign from many addresses
        client.post(
            LOGIN, {"email": owner.email, "password": "nope"}, REMOTE_ADDR=f"198.51.100.{n}"
        )
    response = client.post(LOGIN, {"email": owner.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    # A browser without the cookie is a stranger for this account: throttled.
    client.cookies.clear()
    stranger = client.post(LOGIN, {"email": owner.email, "password": TEST_PASSWORD})
    assert stranger.status_code == 200
    assert "_auth_user_id" not in client.session


# -- TOTP and the MFA set-up (issue 15, item 7) --------------------------------------------


def _mfa_login(client, user, code):
    client.post(LOGIN, {"email": user.email, "password": TEST_PASSWORD})
    return client.post(reverse("accounts:login_code"), {"code": code})


def test_a_totp_code_works_once(client, owner):
    secret = mfa.new_secret()
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, 5, tzinfo=UTC), tick=False):
        mfa.mfa_enable(user=owner, secret=secret, code=pyotp.TOTP(secret).at(time.time() - 30))
        code = pyotp.TOTP(secret).now()
        assert _mfa_login(client, owner, code).status_code == 302
        client.post("/accounts/logout/")
        # Someone who saw the code (over a shoulder, a phishing proxy) cannot use it again.
        replay = _mfa_login(client, owner, code)
        assert replay.status_code == 200
        assert "_auth_user_id" not in client.session


def test_the_code_that_turned_mfa_on_cannot_log_in(client, owner):
    secret = mfa.new_secret()
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, 5, tzinfo=UTC), tick=False):
        code = pyotp.TOTP(secret).now()
        mfa.mfa_enable(user=owner, secret=secret, code=code)
        assert _mfa_login(client, owner, code).status_code == 200
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, 35, tzinfo=UTC), tick=False):
        assert _mfa_login(client, owner, pyotp.TOTP(secret).now()).status_code == 302


def test_an_unfinished_mfa_setup_keeps_no_plain_seed_in_the_session_table(client, owner):
    from django.contrib.sessions.models import Session

    client.force_login(owner)
    page = client.get(reverse("accounts:mfa_setup"))
    secret = page.context["secret"]
    stored = [row.get_decoded() for row in Session.objects.all()]
    assert all(secret not in str(data) for data in stored)
    # The same seed is shown again on reload, so a half-scanned QR code still works.
    assert client.get(reverse("accounts:mfa_setup")).context["secret"] == secret


def test_password_reset_mails_are_capped_per_address(client, owner):
    # Issue 15, item 7: a mail per request, without limit, to any user's address.
    for _ in range(6):
        response = client.post(reverse("accounts:password_reset"), {"email": owner.email})
        assert response.status_code == 302  # the same answer, mailed or not
    assert len(mail.outbox) == 3
