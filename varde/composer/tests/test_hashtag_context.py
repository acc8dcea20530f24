"""The composer's hashtag context (issue 12, item 7): for each hashtag of the post, listening's
volume in the last 7 and 30 days, the trend against the period before, and sample posts
(escaped, links rel="noopener nofollow ugc"); a tag without data says so and offers a query for
it in one click. Per workspace only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.listening.models import ListeningQuery, Mention
from varde.listening.selectors import Period, hashtag_trend

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _mention(workspace, n, text, *, days_ago, url=""):
    now = timezone.now()
    return Mention.objects.create(
        workspace=workspace,
        source_kind="mastodon",
        external_id=str(n),
        url=url,
        author_name=f"Person {n}",
        text=text,
        published_at=now - dt.timedelta(days=days_ago),
        received_at=now,
    )


def _context(client, workspace, text):
    url = reverse("content:hashtag_context", kwargs={"workspace": workspace.slug})
    return client.post(url, {"text": text})


@pytest.mark.parametrize(
    ("volume", "previous", "trend"),
    [(10, 4, "up"), (2, 0, "up"), (1, 0, "flat"), (5, 5, "flat"), (2, 9, "down"), (3, None, "")],
)
def test_the_trend(volume, previous, trend):
    assert Period(days=7, volume=volume, previous=previous).trend == trend


def test_volume_trend_and_samples_of_the_workspace_only(workspace, other_workspace):
    _mention(workspace, 1, "Eldst", days_ago=61)  # listening collected long enough
    for n in range(6):
        _mention(workspace, 10 + n, f"Nordlys i kveld #Aurora {n}", days_ago=n)
    _mention(workspace, 20, "Forrige uke #aurora", days_ago=9)
    _mention(workspace, 21, "For lenge siden #aurora", days_ago=45)
    _mention(workspace, 22, "Annen tag #auroraborealis", days_ago=1)
    for n in range(20):
        _mention(other_workspace, 100 + n, f"Andres #aurora {n}", days_ago=1)
    trend = hashtag_trend(workspace=workspace, tag="aurora")
    week, month = trend.periods
    assert (week.volume, week.previous, week.trend) == (6, 1, "up")
    assert (month.volume, month.previous) == (7, 1)
    assert len(trend.samples) == 3
    assert trend.samples[0].text == "Nordlys i kveld #Aurora 0"
    assert trend.has_data
    assert not trend.has_query


def test_the_panel_escapes_and_links_safely(workspace, owner, client_as):
    _mention(
        workspace, 1, "<script>alert(1)</script> #aurora", days_ago=1, url="https://m.example/1"
    )
    _mention(workspace, 2, "Klikk #aurora", days_ago=2, url="javascript:alert(1)")
    page = _context(client_as(owner), workspace, "Se himmelen! #Aurora #nyttord").content.decode()
    assert "#aurora" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="https://m.example/1" rel="noopener nofollow ugc" target="_blank">' in page
    assert "javascript:" not in page
    assert 'data-days="7"' in page
    assert 'data-days="30"' in page
    # A tag listening knows nothing about says so and offers a query.
    assert "Listening has no posts with #nyttord" in page
    assert reverse("listening:query_from_hashtag", kwargs={"workspace": workspace.slug}) in page
    assert 'name="tag" value="nyttord"' in page


def test_a_post_without_hashtags_shows_nothing(workspace, owner, client_as):
    page = _context(client_as(owner), workspace, "Ingen emneknagger her").content.decode()
    assert "data-tag" not in page


def test_other_workspaces_mentions_never_show(workspace, other_workspace, owner, client_as):
    _mention(other_workspace, 1, "Hemmelig #aurora fra en annen kunde", days_ago=1)
    page = _context(client_as(owner), workspace, "#aurora").content.decode()
    assert "Hemmelig" not in page
    assert "Listening has no posts with #aurora" in page
    stranger = member(other_workspace, Role.OWNER)
    assert _context(client_as(stranger), workspace, "#aurora").status_code == 404


def test_one_click_creates_the_query_once(workspace, other_workspace, owner, client_as):
    client = client_as(owner)
    url = reverse("listening:query_from_hashtag", kwargs={"workspace": workspace.slug})
    first = client.post(url, {"tag": "Nyttord"}, HTTP_HX_REQUEST="true")
    assert first.status_code == 200
    assert "data-hashtag-query" in first.content.decode()
    client.post(url, {"tag": "nyttord"}, HTTP_HX_REQUEST="true")
    query = ListeningQuery.objects.get()
    assert (query.workspace, query.name, query.text) == (workspace, "#nyttord", "#nyttord")
    assert client.post(url, {"tag": "ikke en tag"}).status_code == 400
    assert not ListeningQuery.objects.filter(workspace=other_workspace).exists()
    page = _context(client, workspace, "#nyttord").content.decode()
    assert "A listening query already looks for #nyttord" in page


def test_only_who_may_edit_queries_gets_the_button(workspace, client_as):
    contributor = member(workspace, Role.CONTRIBUTOR)
    page = _context(client_as(contributor), workspace, "#nyttord").content.decode()
    assert "Listening has no posts with #nyttord" in page
    assert 'name="tag"' not in page
    url = reverse("listening:query_from_hashtag", kwargs={"workspace": workspace.slug})
    assert client_as(contributor).post(url, {"tag": "nyttord"}).status_code == 403


def test_the_composer_asks_for_it_where_the_guard_checks(workspace, owner, client_as):
    page = client_as(owner).get(reverse("content:compose", kwargs={"workspace": workspace.slug}))
    html = page.content.decode()
    assert 'id="hashtag-context"' in html
    assert "input from:#composer delay:800ms" in html
