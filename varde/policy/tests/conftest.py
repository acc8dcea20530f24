from __future__ import annotations

import pytest

from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.channels.models import ConnectedAccount
from varde.strategy.models import HashtagRule, HashtagUse, StrategyPlan, TermRule, TermSeverity


@pytest.fixture
def writer(workspace):
    return member(workspace, Role.CONTRIBUTOR, full_name="Kari Nordmann")


@pytest.fixture
def instagram(workspace):
    return ConnectedAccount.objects.create(
        workspace=workspace, connector_key="instagram", label="Acme on Instagram", handle="acme"
    )


@pytest.fixture
def facebook(workspace):
    return ConnectedAccount.objects.create(
        workspace=workspace, connector_key="facebook", label="Acme on Facebook", handle="acme"
    )


@pytest.fixture
def plan(workspace):
    """A plan with the rules of the seeds: terms, hashtags and the #Aurora check."""
    StrategyPlan.objects.create(workspace=workspace, require_hashtag_check=True)
    TermRule.objects.create(
        workspace=workspace, term="gratis", severity=TermSeverity.BLOCK, note="Not allowed in ads"
    )
    TermRule.objects.create(workspace=workspace, term="billigst", severity=TermSeverity.WARN)
    TermRule.objects.create(workspace=workspace, term="små båter", severity=TermSeverity.WARN)
    TermRule.objects.create(workspace=workspace, term="Ærlig talt", severity=TermSeverity.BLOCK)
    HashtagRule.objects.create(workspace=workspace, tag="#Varde", use=HashtagUse.USE)
    HashtagRule.objects.create(
        workspace=workspace, tag="blackfriday", use=HashtagUse.AVOID, note="Not our kind of sale"
    )
    return workspace
