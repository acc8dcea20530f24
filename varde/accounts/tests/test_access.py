"""Every URL of the project, as every role, as a member of another workspace, and logged out.

The URL list is read from the resolver, so a view added later is tested without anyone
remembering to: a view that has not declared its access (public_view, user_view or
workspace_view) fails here, and so does one whose behaviour disagrees with permissions.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from varde.accounts.access import Access, access_of
from varde.accounts.permissions import role_can
from varde.accounts.roles import Role
from varde.accounts.tests.factories import WorkspaceFactory, member

# Values for URL parameters other than the workspace. Ids point at nothing, so an allowed
# request may answer 404 for the object, but never 403.
PLACEHOLDERS = {
    "int": "999999",
    "str": "placeholder",
    "slug": "placeholder",
    "path": "x/y",
    "uuid": "00000000-0000-0000-0000-000000000000",
}
PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
# Third-party URLs we do not serve: none today. Add with a reason if ever needed.
IGNORED_PREFIXES: tuple[str, ...] = ()


@dataclass(frozen=True)
class Route:
    template: str
    name: str
    access: Access | None

    def url(self, workspace_slug: str) -> str:
        def fill(match: re.Match[str]) -> str:
            if match["name"] == "workspace":
                return workspace_slug
            return PLACEHOLDERS[match["converter"] or "str"]

        return "/" + PARAM.sub(fill, self.template)


def walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[Route]:
    routes = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner_ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            routes += walk(entry.url_patterns, prefix + str(entry.pattern), inner_ns)
        elif isinstance(entry, URLPattern):
            routes.append(
                Route(
                    prefix + str(entry.pattern),
                    namespace + (entry.name or "?"),
                    access_of(entry.callback),
                )
            )
    return [route for route in routes if not route.template.startswith(IGNORED_PREFIXES)]


ROUTES = walk(get_resolver().url_patterns)
WORKSPACE_ROUTES = [r for r in ROUTES if r.access and r.access.kind == "workspace"]


def test_every_view_declares_its_access():
    undeclared = [route.name for route in ROUTES if route.access is None]
    assert undeclared == [], f"Views without public_view/user_view/workspace_view: {undeclared}"


def test_workspace_urls_carry_the_workspace():
    missing = [r.name for r in WORKSPACE_ROUTES if "<slug:workspace>" not in r.template]
    assert missing == []


def test_the_walk_finds_the_known_urls():
    names = {route.name for route in ROUTES}
    assert {"accounts:login", "web:workspace_home", "workspace_settings:members"} <= names


@pytest.fixture
def world(db):
    home = WorkspaceFactory(slug="home")
    elsewhere = WorkspaceFactory(slug="elsewhere")
    users = {role: member(home, role) for role in Role}
    outsider = member(elsewhere, Role.OWNER)
    return home, users, outsider


def _status(client, method: str, url: str) -> int:
    response = client.get(url) if method == "GET" else client.post(url, {})
    return response.status_code


@pytest.mark.parametrize("route", WORKSPACE_ROUTES, ids=lambda r: r.name)
def test_workspace_route_follows_permissions(route, world, client):
    home, users, outsider = world
    url = route.url(home.slug)
    for method in ("GET", "POST"):
        client.logout()
        status = _status(client, method, url)
        assert status == 302, f"{method} {url} logged out gave {status}"

        client.force_login(outsider)
        status = _status(client, method, url)
        assert status == 404, f"{method} {url} as a member of another workspace gave {status}"

        for role, user in users.items():
            client.force_login(user)
            status = _status(client, method, url)
            assert route.access is not None
            assert route.access.perm is not None
            if role_can(role, route.access.perm):
                assert status not in (403, 500), f"{method} {url} as {role} gave {status}"
            else:
                assert status == 403, f"{method} {url} as {role} gave {status}, expected 403"


INSTALLATION_ROUTES = [r for r in ROUTES if r.access and r.access.kind == "installation"]


def test_the_walk_finds_the_installation_owners_pages():
    assert "network_apps:page" in {route.name for route in INSTALLATION_ROUTES}


@pytest.mark.parametrize("route", INSTALLATION_ROUTES, ids=lambda r: r.name)
def test_installation_route_is_for_its_owner_only(route, world, client):
    """Installation-wide settings: logged out → login; not a member → 404; a member of any
    role who does not own the installation → 403; the installation's owner → through."""
    home, users, outsider = world
    url = route.url(home.slug)
    host = users[Role.CONTRIBUTOR]
    host.is_superuser = True
    host.save(update_fields=["is_superuser"])
    for method in ("GET", "POST"):
        client.logout()
        assert _status(client, method, url) == 302
        client.force_login(outsider)
        assert _status(client, method, url) == 404, f"{method} {url} as a stranger"
        for role, user in users.items():
            client.force_login(user)
            status = _status(client, method, url)
            if user == host:
                assert status not in (403, 500), f"{method} {url} as the owner gave {status}"
            else:
                assert status == 403, f"{method} {url} as {role} gave {status}, expected 403"


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.access and r.access.kind == "user"], ids=lambda r: r.name
)
def test_user_routes_need_a_login(route, client, db):
    for method in ("GET", "POST"):
        response = client.get(route.url("x")) if method == "GET" else client.post(route.url("x"))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_the_walk_catches_a_view_without_a_decision():
    from django.http import HttpResponse
    from django.urls import path

    def forgotten(request):
        return HttpResponse("no check")

    routes = walk([path("w/<slug:workspace>/forgotten/", forgotten, name="forgotten")])
    assert routes[0].access is None
