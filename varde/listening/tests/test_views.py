"""The listening pages: stream, volume, queries with the live check and the test panel, sources."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.listening import pipeline, services
from varde.listening.models import ListeningQuery, Source
from varde.listening.tests.helpers import Item, positive_when_love


@pytest.fixture(autouse=True)
def _fresh_matchers():
    pipeline.forget_matchers()
    yield
    pipeline.forget_matchers()


def url(workspace, name, **kwargs):
    return reverse(f"listening:{name}", kwargs={"workspace": workspace.slug, **kwargs})


@pytest.fixture
def mentions(workspace):
    services.query_create(workspace=workspace, name="Brand", text="varde")
    now = timezone.now()
    items = [
        Item(
            "1", "I love Varde <script>alert(1)</script>", url="https://x.test/1", published_at=now
        ),
        Item(
            "2",
            "Varde er helt greit, og vi bruker det hver eneste dag",
            author_handle="kari",
            author_name="Kari",
            published_at=now - dt.timedelta(hours=2),
        ),
    ]
    services.mentions_ingest(workspace=workspace, items=items, sentiment=positive_when_love)


def test_the_navigation_leads_to_listening(workspace, editor, client_as):
    page = client_as(editor).get(
        reverse("web:workspace_home", kwargs={"workspace": workspace.slug})
    )
    assert url(workspace, "stream") in page.content.decode()


def test_the_stream_escapes_untrusted_text_and_marks_links(workspace, editor, client_as, mentions):
    html = client_as(editor).get(url(workspace, "stream")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="https://x.test/1" rel="noopener nofollow ugc"' in html
    assert "<mark>Varde</mark>" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("author=kari", ["Kari"]),
        ("sentiment=positive", ["I love"]),
        ("language=no", ["Kari"]),
        ("q=greit", ["Kari"]),
        ("q=nothing-like-this", []),
    ],
)
@pytest.mark.usefixtures("mentions")
def test_stream_filters(workspace, editor, client_as, query, expected):
    html = client_as(editor).get(url(workspace, "stream") + "?" + query).content.decode()
    found = [text for text in ("Kari", "I love") if text in html]
    assert found == expected


def test_stream_pages_without_counting(workspace, editor, client_as, mentions, monkeypatch):
    from varde.listening import views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    client = client_as(editor)
    first = client.get(url(workspace, "stream"))
    assert "I love" in first.content.decode()
    next_link = first.context["next_query"]
    second = client.get(url(workspace, "stream") + "?" + next_link).content.decode()
    assert "Kari" in second
    assert "I love" not in second


def test_another_workspaces_mentions_never_show(workspace, other_workspace, client_as, mentions):
    outsider = member(other_workspace, Role.OWNER)
    client = client_as(outsider)
    html = client.get(url(other_workspace, "stream")).content.decode()
    assert "I love" not in html
    assert "Kari" not in html
    query = ListeningQuery.objects.get(workspace=workspace)
    assert client.get(url(other_workspace, "query_edit", query_id=query.pk)).status_code == 404
    assert client.get(url(workspace, "stream")).status_code == 404
    test = client.post(url(other_workspace, "query_test"), {"text": "varde"}).content.decode()
    assert "I love" not in test


def test_volume_per_day(workspace, editor, client_as, mentions):
    page = client_as(editor).get(url(workspace, "volume"))
    assert page.status_code == 200
    days = page.context["volume_table"]  # newest first
    assert days[0]["total"] + days[1]["total"] >= 2


def test_the_validator_answers_in_the_users_language(workspace, client_as):
    user = member(workspace, Role.EDITOR, language="nb")
    html = (
        client_as(user).post(url(workspace, "query_check"), {"text": "ka* varde"}).content.decode()
    )
    assert "Feil" in html
    assert "tegn" in html  # "(at character …)" in bokmål


def test_the_validator_says_when_all_is_well(workspace, editor, client_as):
    html = client_as(editor).post(url(workspace, "query_check"), {"text": "varde"}).content.decode()
    assert "reads well" in html


def test_the_test_panel_shows_what_would_have_matched(workspace, editor, client_as, mentions):
    html = client_as(editor).post(url(workspace, "query_test"), {"text": "greit"}).content.decode()
    assert "1 of the last 2" in html
    assert "<mark>greit</mark>" in html


def test_creating_and_editing_a_query(workspace, editor, client_as):
    client = client_as(editor)
    data = {"name": "Brand", "text": '"Acme AS" OR #acme', "kind": "brand", "active": "on"}
    assert client.post(url(workspace, "query_new"), data).status_code == 302
    query = ListeningQuery.objects.get(workspace=workspace)
    bad = client.post(url(workspace, "query_edit", query_id=query.pk), {**data, "text": "(acme"})
    assert bad.status_code == 200
    assert "bracket" in bad.content.decode()
    query.refresh_from_db()
    assert query.text == '"Acme AS" OR #acme'
    client.post(url(workspace, "query_delete", query_id=query.pk))
    assert not ListeningQuery.objects.exists()


def test_create_queries_from_the_plan_in_one_click(workspace, editor, client_as):
    client = client_as(editor)
    client.post(url(workspace, "queries_from_plan"))
    client.post(url(workspace, "queries_from_plan"))
    assert list(ListeningQuery.objects.values_list("name", "kind")) == [("Acme", "brand")]


def test_sources_are_managed_by_admins(workspace, owner, editor, client_as):
    data = {"kind": "rss", "config_url": "https://example.test/feed.xml", "name": "Feed"}
    assert client_as(editor).post(url(workspace, "source_add"), data).status_code == 403
    assert client_as(owner).post(url(workspace, "source_add"), data).status_code == 302
    source = Source.objects.get()
    page = client_as(editor).get(url(workspace, "sources")).content.decode()
    assert "Feed" in page
    assert "Add a source" not in page
    client_as(owner).post(url(workspace, "source_toggle", source_id=source.pk))
    source.refresh_from_db()
    assert not source.enabled


def test_retention_form(workspace, owner, client_as):
    client_as(owner).post(url(workspace, "retention"), {"retention_days": "90"})
    from varde.listening.selectors import retention_days

    assert retention_days(workspace=workspace) == 90
