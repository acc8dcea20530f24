"""The filled workspace both browser corpus tests start from."""

from __future__ import annotations

import pytest

from tests.security.fill import Filled, corpus_into_text_fields, one_row_per_model


@pytest.fixture
def filled_workspace(db):
    from varde.demo import demo_create

    result = demo_create()
    owner = result.workspace.memberships.get(role="owner").user
    filled = Filled()
    one_row_per_model(result.workspace, owner, filled)
    corpus_into_text_fields(result.workspace, filled)
    return result.workspace, owner, filled
