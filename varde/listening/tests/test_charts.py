"""The charts page: what the specs hold for a known set of mentions, the drill-down links, the
hourly rollups, workspace isolation, escaping, and a query count that does not grow."""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from varde.accounts.roles import Role
from varde.accounts.tests.factories import member
from varde.listening import pipeline, services
from varde.listening.choices import QueryKind
from varde.listening.models import ListeningQuery, MentionHourRollup, MentionMatch
from varde.listening.pipeline import SentimentGuess
from varde.listening.tests.helpers import Item

OSLO = ZoneInfo("Europe/Oslo")
NOW = dt.datetime(2026, 12, 7, 14, 30, tzinfo=OSLO)
HOSTILE = '<img src=x onerror="alert(1)">'


@pytest.fixture(autouse=True)
def _fresh_matchers():
    pipeline.forget_matchers()
    yield
    pipeline.forget_matchers()


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def judged(texts):
    def one(text):
        if "treg" in text:
            return SentimentGuess("negative", -0.8)
        if "love" in text or "elsker" in text:
            return SentimentGuess("positive", 0.8)
        if "Rival" in text:
            return SentimentGuess("neutral", 0.0)
        return None

    return [one(text) for text in texts]


def at(day, hour, minute=0):
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=OSLO)


@pytest.fixture
def known(workspace):
    """Varde (brand): 3 mentions on 6 Dec, 1 on 7 Dec; Rival (competitor): 1 and 2."""
    workspace.timezone = "Europe/Oslo"
    workspace.save()
    brand = services.query_create(workspace=workspace, name="Varde", text="varde")
    rival = services.query_create(workspace=workspace, name="Rival", text="rival")
    ListeningQuery.objects.filter(pk=brand.pk).update(kind=QueryKind.BRAND)
    ListeningQuery.objects.filter(pk=rival.pk).update(kind=QueryKind.COMPETITOR)
    items = [
        Item("1", "Varde er best, jeg elsker det", author_handle="anna", published_at=at(6, 10)),
        Item("2", "Varde is great, love it", author_handle="bob", published_at=at(6, 11)),
        Item("3", "Varde er treg i dag #kaffe", author_handle=HOSTILE, published_at=at(6, 12)),
        Item("4", "Rival lanserer ny app", author_handle="carl", published_at=at(6, 13)),
        Item("5", "Varde og #kaffe hver morgen", author_handle="anna", published_at=at(7, 13, 10)),
        Item("6", "Rival har nytt logo", author_handle="carl", published_at=at(7, 13, 20)),
        Item("7", "Rival igjen i nyhetene", author_handle="dina", published_at=at(7, 13, 40)),
    ]
    services.mentions_ingest(workspace=workspace, items=items, sentiment=judged)
    return brand, rival


def page_url(workspace, name="volume"):
    return reverse(f"listening:{name}", kwargs={"workspace": workspace.slug})


def values_of(spec):
    """The data rows of a spec, wherever Altair put them."""
    if "datasets" in spec:
        return [row for rows in spec["datasets"].values() for row in rows]
    return spec["data"]["values"]


def test_volume_counts_per_day_and_query(workspace, editor, client_as, known):
    page = client_as(editor).get(page_url(workspace), {"period": "7d"})
    rows = values_of(page.context["volume_spec"])
    counts = {(row["at"][:10], row["series"]): row["count"] for row in rows if row["count"]}
    assert counts == {
        ("2026-12-06", "Varde"): 3,
        ("2026-12-06", "Rival"): 1,
        ("2026-12-07", "Varde"): 1,
        ("2026-12-07", "Rival"): 2,
    }
    assert len({row["at"] for row in rows}) == 7  # every day of the period, empty ones too


def test_sentiment_per_day(workspace, editor, client_as, known):
    page = client_as(editor).get(page_url(workspace), {"period": "7d"})
    rows = values_of(page.context["sentiment_spec"])
    sixth = {row["series"]: row["count"] for row in rows if row["at"].startswith("2026-12-06")}
    assert sixth == {"Positive": 2, "Negative": 1, "Neutral or mixed": 1}


def test_share_of_voice_percentages(workspace, editor, client_as, known):
    page = client_as(editor).get(page_url(workspace), {"period": "30d"})
    rows = {row["series"]: row["share"] for row in values_of(page.context["share_spec"])}
    assert rows == {
        "Varde": pytest.approx(4 / 7, abs=1e-4),
        "Rival": pytest.approx(3 / 7, abs=1e-4),
    }
    shares = {share.query.name: share.percent for share in page.context["shares"]}
    assert shares == {"Varde": "57.1 %", "Rival": "42.9 %"}


def test_share_of_voice_in_bokmal_has_a_decimal_comma(workspace, client_as, known):
    user = member(workspace, Role.EDITOR, language="nb")
    page = client_as(user).get(page_url(workspace), {"period": "30d"})
    html = page.content.decode()
    assert "57,1 %" in html
    assert "Andel av omtalen" in html


def test_hourly_counts(workspace, editor, client_as, known):
    page = client_as(editor).get(page_url(workspace), {"period": "1d"})
    rows = values_of(page.context["volume_spec"])
    counts = {(row["at"], row["series"]): row["count"] for row in rows if row["count"]}
    # Wall time in Oslo, written as UTC so every browser draws the same hour.
    # 6 Dec 10:00-13:00 is more than 24 hours before 7 Dec 14:30: not in the hourly chart.
    assert counts == {("2026-12-07T13:00:00Z", "Varde"): 1, ("2026-12-07T13:00:00Z", "Rival"): 2}
    assert len({row["at"] for row in rows}) == 25  # whole hours, the current one included


def stream_texts(client, link):
    html = client.get(link).content.decode()
    return sorted(re.findall(r'<p class="mention-text">(.*?)</p>', html, re.S))


def link_of(rows, **wanted):
    for row in rows:
        if all(str(row.get(k, ""))[: len(str(v))] == str(v) for k, v in wanted.items()):
            return row["link"]
    raise AssertionError(f"no row with {wanted}")


def test_a_days_point_drills_down_to_its_mentions(workspace, editor, client_as, known):
    client = client_as(editor)
    page = client.get(page_url(workspace), {"period": "7d"})
    link = link_of(values_of(page.context["volume_spec"]), at="2026-12-06", series="Varde")
    assert link.startswith(page_url(workspace, "stream") + "?")
    texts = stream_texts(client, link)
    assert len(texts) == 3
    assert all("Varde" in unescape(re.sub("<[^>]+>", "", text)) for text in texts)


def test_a_sentiment_bar_drills_down(workspace, editor, client_as, known):
    client = client_as(editor)
    page = client.get(page_url(workspace), {"period": "7d"})
    link = link_of(values_of(page.context["sentiment_spec"]), at="2026-12-06", series="Negative")
    texts = stream_texts(client, link)
    assert len(texts) == 1
    assert "treg" in texts[0]


def test_an_hours_point_drills_down(workspace, editor, client_as, known):
    client = client_as(editor)
    page = client.get(page_url(workspace), {"period": "1d"})
    link = link_of(
        values_of(page.context["volume_spec"]), at="2026-12-07T13:00:00Z", series="Rival"
    )
    assert "hour=13" in link
    assert len(stream_texts(client, link)) == 2


def test_a_share_bar_and_the_top_lists_drill_down(workspace, editor, client_as, known):
    client = client_as(editor)
    page = client.get(page_url(workspace), {"period": "30d"})
    rival = link_of(values_of(page.context["share_spec"]), series="Rival")
    assert len(stream_texts(client, rival)) == 3
    tops = {top.key: top for top in page.context["top_lists"]}
    assert tops["hashtags"].rows[0]["series"] == "#kaffe"
    assert tops["hashtags"].rows[0]["count"] == 2
    assert len(stream_texts(client, tops["hashtags"].rows[0]["link"])) == 2
    authors = {row["series"]: row for row in tops["authors"].rows}
    assert authors["anna"]["count"] == 2
    assert len(stream_texts(client, authors["carl"]["link"])) == 2
    words = [row["series"] for row in tops["terms"].rows]
    assert "varde" not in words  # the queries' own words say nothing new
    assert "rival" not in words


def test_untrusted_text_is_escaped_in_the_page_and_the_specs(workspace, editor, client_as, known):
    ListeningQuery.objects.filter(name="Rival").update(name="Rival </script><b>x</b>")
    html = client_as(editor).get(page_url(workspace), {"period": "30d"}).content.decode()
    assert HOSTILE not in html
    assert "</script><b>" not in html
    assert "&lt;img src=x" in html  # the authors' table
    assert "\\u003Cimg src=x" in html  # inside the JSON of the spec
    specs = re.findall(r'<script id="[^"]+" type="application/json">(.*?)</script>', html, re.S)
    assert len(specs) >= 5
    for spec in specs:
        json.loads(spec)


def test_another_workspace_sees_none_of_it(workspace, other_workspace, client_as, known):
    brand, _rival = known
    outsider = member(other_workspace, Role.OWNER)
    client = client_as(outsider)
    page = client.get(page_url(other_workspace), {"period": "30d"})
    assert page.context["volume_spec"] is None
    assert page.context["share_spec"] is None
    assert all(top.spec is None for top in page.context["top_lists"])
    assert page.context["tops"].read == 0
    # Another workspace's query id is not a choice: the filter is refused, nothing leaks.
    page = client.get(page_url(other_workspace), {"query": brand.pk, "period": "30d"})
    assert page.context["volume_spec"] is None
    assert "anna" not in page.content.decode()
    assert client.get(page_url(workspace)).status_code == 404


def test_the_query_count_does_not_grow_with_the_mentions(
    workspace, editor, client_as, known, django_assert_num_queries
):
    client = client_as(editor)
    client.get(page_url(workspace))  # session and caches warm
    with django_assert_num_queries(QUERIES) as captured:
        client.get(page_url(workspace), {"period": "30d"})
    more = [
        Item(f"m{n}", f"Varde nummer {n} i dag", author_handle=f"a{n}", published_at=at(5, n % 20))
        for n in range(60)
    ]
    services.mentions_ingest(workspace=workspace, items=more, sentiment=judged)
    with django_assert_num_queries(QUERIES):
        client.get(page_url(workspace), {"period": "30d"})
    assert captured  # the count above is exact, not a ceiling


# Session, user, the workspace's language, membership (4); queries, sources, the sandbox check,
# the rollups, the newest mentions for the top lists (5); the page's menu and bell (2).
QUERIES = 11


def test_hour_rollups_follow_the_store_and_the_deletions(workspace, known):
    brand, rival = known
    hours = {
        (row.query_id, row.hour, row.sentiment): row.count
        for row in MentionHourRollup.objects.filter(count__gt=0)
    }
    utc = dt.UTC
    assert hours[(rival.pk, at(7, 13).astimezone(utc), "neutral")] == 2
    assert hours[(brand.pk, at(6, 12).astimezone(utc), "negative")] == 1
    assert sum(hours.values()) == MentionMatch.objects.count()
    gone = list(
        MentionMatch.objects.filter(query=rival, published_at__gte=at(7, 0)).values_list(
            "mention_id", flat=True
        )[:1]
    )
    pipeline.rollups_subtract(workspace, mention_ids=gone, zone="Europe/Oslo")
    row = MentionHourRollup.objects.get(query=rival, hour=at(7, 13), sentiment="neutral")
    assert row.count == 1


def test_every_spec_with_its_rows_is_valid_vega_lite(workspace, editor, client_as, known):
    import altair as alt

    for period in ("1d", "30d"):
        page = client_as(editor).get(page_url(workspace), {"period": period})
        specs = [
            page.context["volume_spec"],
            page.context["sentiment_spec"],
            page.context["share_spec"],
            *(top.spec for top in page.context["top_lists"] if top.spec),
        ]
        for spec in specs:
            if "layer" in spec:
                alt.LayerChart.from_dict(spec)  # raises on anything the schema refuses
            else:
                alt.Chart.from_dict(spec)
