"""The demo's people and workspaces: the owner (the demo login, with its password), the team,
and a second workspace, through the accounts app's services. Idempotent."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from varde.accounts import selectors as account_selectors
from varde.accounts import services
from varde.accounts.roles import Role

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace

DEMO_SLUG = "demo"
DEMO_EMAIL = "demo@varde.local"
SECOND_SLUG = "demo-kafe"

DEMO_NAME = "Ingrid Hauge"  # managing director and owner; the demo login
# (key in the demo plan, e-mail, name, role). The keys link plan people to these users.
TEAM = [
    ("silje", "silje@varde.local", "Silje Nygård", Role.EDITOR),
    ("jonas", "jonas@varde.local", "Jonas Berg", Role.CONTRIBUTOR),
    ("martin", "martin@varde.local", "Martin Aase", Role.ANALYST),
    ("", "revisor@varde.local", "Siri Dale", Role.CLIENT_REVIEWER),
]


def login_line(email: str, password: str | None) -> str:
    if password:
        return f"Log in as {email} with the password {password}"
    return (
        f"Log in as {email}; its password was set earlier "
        "(set VARDE_DEMO_PASSWORD and run `varde demo` to choose a new one)."
    )


def _password_file() -> Path:
    return Path(settings.DATA_DIR) / "demo-password"


def _demo_password(user_exists: bool) -> tuple[str | None, bool]:
    """The password to print, and whether it must be (re)set on the user."""
    chosen = os.environ.get("VARDE_DEMO_PASSWORD", "").strip()
    if chosen:
        return chosen, True
    stored = _password_file()
    if user_exists and stored.exists():
        return stored.read_text().strip(), False
    generated = secrets.token_urlsafe(12)
    fd = os.open(stored, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(generated)
    return generated, True


def demo_login_lines() -> str:
    user = account_selectors.user_by_email(DEMO_EMAIL)
    if user is None:
        return "No demo user. Run `varde demo` to create one, or `varde createuser`."
    stored = _password_file()
    password = os.environ.get("VARDE_DEMO_PASSWORD") or (
        stored.read_text().strip() if stored.exists() else None
    )
    if password and not user.check_password(password):
        password = None
    return login_line(DEMO_EMAIL, password)


@transaction.atomic
def demo_team_seed() -> tuple[Workspace, str | None, dict[str, User]]:
    user = account_selectors.user_by_email(DEMO_EMAIL)
    password, must_set = _demo_password(user is not None)
    if user is None:
        user = services.user_create(
            email=DEMO_EMAIL, full_name=DEMO_NAME, password=password, language=""
        )
        if not account_selectors.installation_has_owner():
            # The one account `varde run` prints on a fresh installation: without an owner,
            # nobody could set up the networks (Settings → Networks, docs/channels.md).
            services.user_make_superuser(user=user)
    elif must_set and password:
        services.user_set_password(user=user, password=password)

    workspace = account_selectors.workspace_by_slug(DEMO_SLUG)
    if workspace is None:
        workspace = services.workspace_create(
            name="Bryggen Sykkel", slug=DEMO_SLUG, owner=user, language="nb", tz="Europe/Oslo"
        )
    if not account_selectors.is_member(user=user, workspace=workspace):
        services.membership_add(workspace=workspace, user=user, role=Role.OWNER, actor=None)

    people = {"ingrid": user}
    for key, email, name, role in TEAM:
        teammate = account_selectors.user_by_email(email)
        if teammate is None:
            # Teammates exist to be named in the plan and the inbox; they cannot log in.
            teammate = services.user_create(email=email, full_name=name, password=None)
        services.membership_add(workspace=workspace, user=teammate, role=role, actor=user)
        if key:
            people[key] = teammate

    if not account_selectors.workspace_exists(SECOND_SLUG):
        services.workspace_create(
            name="Fløyen Kaffebar", slug=SECOND_SLUG, owner=user, language="nb", tz="Europe/Oslo"
        )
    return workspace, password, people
