"""The leads pages by role and workspace; creating from the inbox and listening; the board's
moves (buttons and htmx); the CSV export; the CLI."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.cli import main
from varde.leads import services
from varde.leads.choices import Stage
from varde.leads.models import Lead, LeadSource
from varde.leads.tests.conftest import inbox_reply, mention_in

pytestmark = pytest.mark.django_db


def url(workspace, name, **kwargs):
    return reverse(f"leads:{name}", kwargs={"workspace": workspace.slug, **kwargs})


def _lead(workspace, actor, handle="kari", **kwargs):
    return services.lead_create(
        workspace=workspace, actor=actor, handle=handle, network="bluesky", **kwargs
    )


def test_create_from_an_inbox_item(client_as, workspace, owner):
    item = inbox_reply(workspace, owner)
    client = client_as(owner)
    page = client.get(url(workspace, "new") + f"?inbox_item={item.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "kari.bsky.social" in html
    assert "<script>alert(1)" not in html  # the stranger's text is escaped
    answer = client.post(
        url(workspace, "new"),
        {
            "inbox_item": item.pk,
            "handle": "kari.bsky.social",
            "network": "bluesky",
            "stage": "prospect",
            "owner": owner.pk,
            "value": "1500",
        },
    )
    lead = Lead.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == url(workspace, "detail", lead_id=lead.pk)
    assert lead.value == Decimal(1500)
    assert LeadSource.objects.get().ref_id == item.pk


def test_creating_a_duplicate_offers_to_add_to_the_existing_lead(client_as, workspace, owner):
    existing = _lead(workspace, owner, handle="ola")
    existing.network = "mastodon"
    existing.save()
    mention = mention_in(workspace, handle="ola")
    client = client_as(owner)
    page = client.get(url(workspace, "new") + f"?mention={mention.pk}")
    assert "This person is already in the pipeline" in page.content.decode()
    added = client.post(url(workspace, "link", lead_id=existing.pk), {"mention": mention.pk})
    assert added.status_code == 302
    assert Lead.objects.count() == 1
    assert existing.sources.get().ref_id == mention.pk
    # A POST without "create anyway" shows the offer again instead of creating.
    data = {"mention": mention.pk, "handle": "ola", "network": "mastodon", "stage": "prospect"}
    again = client.post(url(workspace, "new"), data)
    assert again.status_code == 200
    assert Lead.objects.count() == 1
    client.post(url(workspace, "new"), {**data, "create_anyway": "1"})
    assert Lead.objects.count() == 2


def test_another_workspaces_item_and_lead_are_404(client_as, workspace, other_workspace, owner):
    stranger = member(other_workspace, Role.OWNER)
    item = inbox_reply(other_workspace, stranger)
    theirs = _lead(other_workspace, stranger)
    client = client_as(owner)
    assert client.get(url(workspace, "new") + f"?inbox_item={item.pk}").status_code == 404
    assert client.get(url(workspace, "detail", lead_id=theirs.pk)).status_code == 404
    move = client.post(url(workspace, "move", lead_id=theirs.pk), {"stage": "lead"})
    assert move.status_code == 404
    mine = _lead(workspace, owner)
    merge = client.post(url(workspace, "merge", lead_id=theirs.pk), {"into": mine.pk})
    assert merge.status_code == 404
    assert client.get(url(workspace, "board")).content.decode().count("data-lead=") == 1


def test_board_moves_by_button_and_by_htmx(client_as, workspace, owner):
    lead = _lead(workspace, owner)
    client = client_as(owner)
    board = client.get(url(workspace, "board"))
    html = board.content.decode()
    assert 'data-move="right"' in html
    assert "leads/board.js" in html
    assert "<script>" not in html.replace('<script src="', "")  # no inline script
    moved = client.post(
        url(workspace, "move", lead_id=lead.pk), {"stage": "lead", "next": url(workspace, "board")}
    )
    assert moved["Location"] == url(workspace, "board")
    lead.refresh_from_db()
    assert lead.stage == Stage.LEAD
    partial = client.post(
        url(workspace, "move", lead_id=lead.pk), {"stage": "customer"}, HTTP_HX_REQUEST="true"
    )
    assert partial.status_code == 200
    assert b"lead-board" in partial.content
    assert b"<html" not in partial.content
    assert f'name="next" value="{url(workspace, "board")}"'.encode() in partial.content
    lost = client.post(
        url(workspace, "move", lead_id=lead.pk), {"stage": "lost"}, HTTP_HX_REQUEST="true"
    )
    assert lost["HX-Redirect"].endswith("?lose=1#stage")
    lead.refresh_from_db()
    assert lead.stage == Stage.CUSTOMER


def test_the_detail_page_shows_the_timeline(client_as, workspace, owner):
    lead = _lead(workspace, owner)
    client = client_as(owner)
    client.post(url(workspace, "note", lead_id=lead.pk), {"text": "<b>Ringte</b>"})
    client.post(url(workspace, "move", lead_id=lead.pk), {"stage": "lost", "lost_reason": "Pris"})
    client.post(url(workspace, "edit", lead_id=lead.pk), {"name": "Kari", "value": "10"})
    page = client.get(url(workspace, "detail", lead_id=lead.pk)).content.decode()
    assert "&lt;b&gt;Ringte&lt;/b&gt;" in page
    assert "Moved from prospect to lost. Reason: Pris" in page
    assert "Changed name, value." in page


def test_analysts_read_but_cannot_change(client_as, workspace, owner):
    lead = _lead(workspace, owner)
    client = client_as(member(workspace, Role.ANALYST))
    page = client.get(url(workspace, "detail", lead_id=lead.pk))
    assert page.status_code == 200
    assert b"Save stage" not in page.content
    assert (
        client.post(url(workspace, "move", lead_id=lead.pk), {"stage": "lead"}).status_code == 403
    )


def test_merge_from_the_duplicates_page(client_as, workspace, owner):
    keep = _lead(workspace, owner)
    other = _lead(workspace, owner)
    client = client_as(owner)
    page = client.get(url(workspace, "duplicates")).content.decode()
    assert f"Merge into #{keep.pk}" in page
    client.post(url(workspace, "merge", lead_id=other.pk), {"into": keep.pk})
    other.refresh_from_db()
    assert other.merged_into_id == keep.pk
    assert "No duplicates." in client.get(url(workspace, "duplicates")).content.decode()


def test_csv_export_escapes_formulas(client_as, workspace, owner):
    _lead(workspace, owner, handle='=HYPERLINK("http://evil")', name="+47 999", value=Decimal(5))
    _lead(workspace, owner, handle="@kari", name="-rm")
    response = client_as(owner).get(url(workspace, "export"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["id", "handle", "name"]
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'
    assert rows[1][2] == "'+47 999"
    assert rows[1][7] == "5.00"
    assert rows[2][1] == "kari"  # the leading @ is not part of the stored handle
    assert rows[2][2] == "'-rm"


def test_the_crm_page_is_for_admins(client_as, workspace, owner):
    client = client_as(owner)
    answer = client.post(url(workspace, "crm"), {"url": "http://127.0.0.1:9/x", "enabled": "on"})
    assert answer.status_code == 200
    assert b"Varde will not send to this address" in answer.content
    editor = client_as(member(workspace, Role.EDITOR))
    assert editor.get(url(workspace, "crm")).status_code == 403


def test_the_listening_stream_offers_create_lead(client_as, workspace, owner):
    mention = mention_in(workspace)
    page = client_as(owner).get(reverse("listening:stream", kwargs={"workspace": workspace.slug}))
    assert f"/leads/new/?mention={mention.pk}" in page.content.decode()
    analyst_page = client_as(member(workspace, Role.ANALYST)).get(
        reverse("listening:stream", kwargs={"workspace": workspace.slug})
    )
    assert b"Create lead" not in analyst_page.content


def test_cli_export_and_list(workspace, owner, capsys):
    _lead(workspace, owner, handle="=1+1", stage=Stage.LEAD)
    assert main(["leads", "export", "--workspace", workspace.slug]) == 0
    out = capsys.readouterr().out
    assert "'=1+1" in out
    assert main(["leads", "list", "--workspace", workspace.slug, "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows[0]["handle"] == "=1+1"
    assert rows[0]["stage"] == "lead"
    assert main(["leads", "list", "--workspace", "nope", "--json"]) == 1


def test_the_board_page_query_count_is_pinned(
    client_as, workspace, owner, django_assert_max_num_queries
):
    client = client_as(owner)
    for n in range(5):
        _lead(workspace, owner, handle=f"a{n}", owner=owner)
    client.get(url(workspace, "board"))
    with django_assert_max_num_queries(12) as few:
        client.get(url(workspace, "board"))
    for n in range(40):
        _lead(workspace, owner, handle=f"b{n}", owner=owner)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url(workspace, "board"))
