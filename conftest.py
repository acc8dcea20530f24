"""Shared pytest fixtures and hooks for the whole project."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest
from django.utils import translation
from hypothesis import HealthCheck, settings

from varde.accounts.roles import Role
from varde.accounts.tests.factories import WorkspaceFactory, member

if TYPE_CHECKING:
    from varde.accounts.models import Workspace

# Hypothesis profiles (HYPOTHESIS_PROFILE=...): "ci", the default, runs a bounded number of
# examples with no deadline (the CI machines are shared and slow) and no example database, so
# both database runs of `make test` try the same, repeatable examples; "thorough" is for a
# person hunting a bug. Tests that pass their own settings(max_examples=...) keep theirs.
_HEALTH = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
settings.register_profile(
    "ci",
    max_examples=40,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=_HEALTH,
)
settings.register_profile(
    "thorough", max_examples=2000, deadline=None, suppress_health_check=_HEALTH
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _language_does_not_leak_between_tests():
    """A request activates its user's language for the thread and Django leaves it active, so
    without this a test's language would depend on which test ran before it on the worker."""
    yield
    translation.deactivate()


@pytest.fixture
def workspace(db) -> Workspace:
    return WorkspaceFactory(slug="acme", name="Acme")


@pytest.fixture
def other_workspace(db) -> Workspace:
    return WorkspaceFactory(slug="rival", name="Rival")


@pytest.fixture
def owner(workspace):
    return member(workspace, Role.OWNER)


@pytest.fixture
def editor(workspace):
    return member(workspace, Role.EDITOR)


@pytest.fixture
def client_as(client):
    """Log the test client in as a user: ``client_as(user)``."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Make ``--dist loadgroup`` honour ``xdist_group`` under pytest 9.

    pytest-xdist (3.8) tags each grouped test by appending ``@group`` to ``item._nodeid``, but
    pytest 9 keeps the node id in ``item._id``, so the tag was lost and grouped tests (the
    process tests, the browser tests, each end-to-end peer's tests) were spread over workers.
    This repeats the tag where pytest 9 reads it; with a pytest that honours xdist's own tag,
    the ids already end with it and nothing changes.
    """
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        names = {
            str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
            for mark in item.iter_markers("xdist_group")
        }
        suffix = "@" + "_".join(sorted(names))
        if names and not item.nodeid.endswith(suffix) and hasattr(item, "_id"):
            item._id = type(item._id).parse(item.nodeid + suffix)
