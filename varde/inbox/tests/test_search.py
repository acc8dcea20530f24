"""The inbox list's search (varde/lib/fulltext.py, shared with listening): items' texts,
authors' names and handles, on SQLite (FTS5) and PostgreSQL (norwegian/english by the item's
language); æ/ø/å, stemming where the database has it, hostile input, workspace isolation."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.inbox.models import InboxItem
from varde.inbox.selectors import Filters, conversations_filtered
from varde.listening.tests.test_search import HOSTILE
from varde.sandbox.services import sandbox_channel_create

from .conftest import arrive, later

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"


def _found(workspace, user, q, view="all"):
    conversations = conversations_filtered(
        workspace=workspace, user=user, filters=Filters(view=view, q=q)
    )
    return sorted(c.author_handle for c in conversations)


@pytest.fixture
def inbox(sandbox):
    arrive(sandbox, text="Sykkelen min er ødelagt, hva gjør jeg?", handle="kari.sim", name="Kari")
    arrive(sandbox, text="Når åpner butikken på lørdag?", handle="per.hansen.sim", name="Per")
    arrive(sandbox, text="The coffee was great, thanks!", handle="jo.sim", name="Jo Ærlig")
    first = arrive(sandbox, text="Hei!", handle="eva.sim", name="Eva", in_reply_to="post-9")
    arrive(
        sandbox,
        text="Kvitteringen er borte",
        handle="eva.sim",
        name="Eva",
        in_reply_to=first.network_id,
        at=later(5),
    )
    return sandbox


def test_texts_names_and_handles(workspace, owner, inbox):
    assert _found(workspace, owner, "ødelagt") == ["kari.sim"]
    assert _found(workspace, owner, "sykkelen ødelagt") == ["kari.sim"]
    assert _found(workspace, owner, "sykkelen lørdag") == []
    assert _found(workspace, owner, "Kari") == ["kari.sim"]
    assert _found(workspace, owner, "per.hansen.sim") == ["per.hansen.sim"]
    assert _found(workspace, owner, "@per.hansen.sim") == ["per.hansen.sim"]
    assert _found(workspace, owner, "hansen") == ["per.hansen.sim"]
    assert _found(workspace, owner, "lørdag or coffee") == ["jo.sim", "per.hansen.sim"]
    assert _found(workspace, owner, '"åpner butikken"') == ["per.hansen.sim"]
    assert _found(workspace, owner, '"butikken åpner"') == []
    # A later item of a conversation finds the whole conversation.
    assert _found(workspace, owner, "kvitteringen") == ["eva.sim"]


def test_ae_oe_aa(workspace, owner, inbox):
    assert _found(workspace, owner, "LØRDAG") == ["per.hansen.sim"]
    assert _found(workspace, owner, "lordag") == []
    assert _found(workspace, owner, "ærlig") == ["jo.sim"]
    assert _found(workspace, owner, "aapner") == []


def test_the_search_keeps_the_view(workspace, owner, inbox):
    from varde.inbox import services

    conversation = InboxItem.objects.get(author_handle="kari.sim").conversation
    services.conversation_set_state(conversation=conversation, state="resolved", actor=owner)
    assert _found(workspace, owner, "ødelagt", view="open") == []
    assert _found(workspace, owner, "ødelagt", view="resolved") == ["kari.sim"]


@pytest.mark.skipif(not POSTGRES, reason="stemming is PostgreSQL's")
def test_postgresql_stems_by_the_items_language(workspace, owner, inbox):
    InboxItem.objects.filter(author_handle="kari.sim").update(language="no")
    InboxItem.objects.filter(author_handle="jo.sim").update(language="en")
    assert _found(workspace, owner, "sykkel") == ["kari.sim"]
    assert _found(workspace, owner, "thank") == ["jo.sim"]


@pytest.mark.skipif(POSTGRES, reason="SQLite has no stemmer: words are also prefixes")
def test_sqlite_words_are_also_prefixes(workspace, owner, inbox):
    assert _found(workspace, owner, "sykkel") == ["kari.sim"]
    assert _found(workspace, owner, '"sykkel"') == []


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_input_never_fails(workspace, owner, inbox, client_as, q):
    assert isinstance(_found(workspace, owner, q), list)
    page = client_as(owner).get(
        reverse("inbox:list", kwargs={"workspace": workspace.slug}), {"q": q, "view": "all"}
    )
    assert page.status_code == 200


def test_another_workspaces_items_are_never_found(workspace, other_workspace, owner, inbox):
    outsider = member(other_workspace, Role.OWNER)
    theirs = sandbox_channel_create(
        workspace=other_workspace, actor=outsider, simulated_people=True
    )
    arrive(theirs, text="Sykkelen min er også ødelagt", handle="ola.sim", name="Ola")
    assert _found(workspace, owner, "ødelagt") == ["kari.sim"]
    assert _found(other_workspace, outsider, "ødelagt") == ["ola.sim"]
    assert _found(other_workspace, outsider, "kari") == []
