"""The sources package wired into the app: kinds from the registry, per-kind settings with
encrypted secrets, allow_private only at read time, not-modified answers, deletions, health,
SourceError codes, Reddit's deletion check, CSV import, the connected channels, the sandbox."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from varde.demo.listening import demo_listening_seed
from varde.inbox.models import InboxItem
from varde.listening import choices, pipeline, services
from varde.listening.models import (
    ListeningQuery,
    Mention,
    MentionMatch,
    MentionRollup,
    Source,
    SourceRun,
)
from varde.listening.sources import registry
from varde.listening.sources.base import Batch, SourceError
from varde.listening.tests.helpers import Item, lookup_from, make_source

NOW = dt.datetime(2025, 3, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fresh_matchers():
    pipeline.forget_matchers()
    yield
    pipeline.forget_matchers()


def url(workspace, name, **kwargs):
    return reverse(f"listening:{name}", kwargs={"workspace": workspace.slug, **kwargs})


class Recorder:
    """A source that remembers the config it was given and answers a fixed batch."""

    def __init__(self, batch=None, error=None):
        self.batch, self.error, self.configs = batch, error, []

    def read(self, config, cursor, *, deadline):
        self.configs.append(dict(config))
        if self.error:
            raise self.error
        return self.batch


def test_the_apps_kinds_are_exactly_the_registrys():
    assert set(choices.source_kind_labels()) == set(registry.kinds())
    assert {"channel", "sandbox", "csv", "rss"} <= set(registry.kinds())


def test_the_form_asks_for_each_kinds_settings_and_never_the_runtime_ones():
    assert services.source_form_keys("rss") == ("url",)
    assert services.source_form_keys("mastodon") == ("server", "hashtag", "local", "token")
    assert services.source_form_keys("channel") == ()
    assert services.source_form_keys("sandbox") == ("per_hour", "backfill_hours")
    with pytest.raises(ValidationError):
        services.source_form_keys("myspace")


def test_secrets_are_stored_encrypted_and_given_to_the_source_only(workspace, settings):
    settings.VARDE_ALLOW_PRIVATE_URLS = False
    source = services.source_create(
        workspace=workspace,
        kind="reddit",
        config={
            "client_id": "abc",
            "client_secret": "s3cret",
            "query": "varde",
            "allow_private": "true",  # never stored, never taken from a person
            "bogus": "x",
        },
    )
    source.refresh_from_db()
    assert source.config == {"client_id": "abc", "query": "varde"}
    assert "s3cret" not in source.secrets
    assert source.secrets
    config = services.source_config_for_read(source)
    assert config["client_secret"] == "s3cret"
    assert "allow_private" not in config


def test_allow_private_is_set_at_read_time_from_the_setting(workspace, settings):
    source = make_source(workspace, "test", config={"url": "http://127.0.0.1/feed"})
    reader = Recorder(Batch(items=[], cursor=None))
    settings.VARDE_ALLOW_PRIVATE_URLS = True
    services.source_read(source_id=source.pk, lookup=lookup_from({"test": reader}))
    settings.VARDE_ALLOW_PRIVATE_URLS = False
    services.source_read(source_id=source.pk, lookup=lookup_from({"test": reader}))
    assert [c.get("allow_private") for c in reader.configs] == ["true", None]
    source.refresh_from_db()
    assert "allow_private" not in source.config


def test_missing_settings_are_refused(workspace):
    with pytest.raises(ValidationError):
        services.source_create(workspace=workspace, kind="rss")
    with pytest.raises(ValidationError):
        services.source_create(workspace=workspace, kind="reddit", config={"query": "x"})
    services.source_create(
        workspace=workspace,
        kind="reddit",
        config={"client_id": "a", "client_secret": "b", "subreddit": "norge"},
    )


def test_not_modified_deleted_ids_and_health(workspace):
    services.query_create(workspace=workspace, name="Brand", text="varde")
    source = make_source(workspace, "test", cursor="c1")
    first = Batch(
        items=[
            Item("a", "Varde er bra", published_at=NOW),
            Item("b", "Varde igjen", published_at=NOW),
        ],
        cursor="c2",
        health={"http_status": "200", "feed_title": "Nyheter"},
    )
    services.source_read(
        source_id=source.pk, now=NOW, lookup=lookup_from({"test": Recorder(first)})
    )
    # One row per query, day and sentiment: the total is what counts here.
    assert sum(MentionRollup.objects.values_list("count", flat=True)) == 2

    unchanged = Batch(items=[], cursor=None, not_modified=True)
    outcome = services.source_read(
        source_id=source.pk, now=NOW, lookup=lookup_from({"test": Recorder(unchanged)})
    )
    assert outcome.ok
    assert outcome.not_modified
    assert outcome.stored == 0
    source.refresh_from_db()
    assert source.cursor == "c2"
    assert source.health == {"http_status": "200", "feed_title": "Nyheter"}
    assert SourceRun.objects.filter(not_modified=True).count() == 1

    gone = Batch(items=[], cursor="c3", deleted_ids=["a", "unknown"], health={"pages": "1"})
    outcome = services.source_read(
        source_id=source.pk, now=NOW, lookup=lookup_from({"test": Recorder(gone)})
    )
    assert outcome.deleted == 1
    assert list(Mention.objects.values_list("external_id", flat=True)) == ["b"]
    assert MentionMatch.objects.count() == 1
    # The daily count follows the deletion.
    assert sum(MentionRollup.objects.values_list("count", flat=True)) == 1
    source.refresh_from_db()
    assert (source.cursor, source.health) == ("c3", {"pages": "1"})


def test_a_source_error_is_stored_with_its_code_and_shown_translated(workspace, owner, client_as):
    source = make_source(workspace, "rss", name="Feed", config={"url": "https://x.test/f"})
    error = SourceError("rate_limited", "HTTP 429 Too Many Requests")
    outcome = services.source_read(
        source_id=source.pk, lookup=lookup_from({"rss": Recorder(error=error)})
    )
    assert (outcome.ok, outcome.error_code) == (False, "rate_limited")
    source.refresh_from_db()
    assert (source.error_code, source.last_error) == ("rate_limited", "HTTP 429 Too Many Requests")
    owner.language = "nb"
    owner.save()
    page = client_as(owner).get(url(workspace, "sources")).content.decode()
    assert "HTTP 429 Too Many Requests" in page
    assert "The server&#x27;s rate limit was reached" not in page  # shown in bokmål


def test_the_add_form_shows_secret_fields_as_passwords_and_stores_them_encrypted(
    workspace, owner, client_as
):
    client = client_as(owner)
    page = client.get(url(workspace, "source_add") + "?kind=mastodon").content.decode()
    assert 'name="config_server"' in page
    assert 'type="password"' in page
    answer = client.post(
        url(workspace, "source_add"),
        {"kind": "mastodon", "config_server": "https://m.test", "config_token": "tok-123"},
    )
    assert answer.status_code == 302
    source = Source.objects.get()
    assert source.config == {"server": "https://m.test"}
    assert "tok-123" not in source.secrets
    assert "tok-123" not in client.get(url(workspace, "sources")).content.decode()
    assert client.get(url(workspace, "source_add") + "?kind=nope").status_code == 404


def test_reddit_deletions_are_checked_and_deleted(workspace):
    services.query_create(workspace=workspace, name="Brand", text="varde")
    source = make_source(workspace, "reddit", config={"client_id": "a", "query": "varde"})
    items = [
        Item("t3_a", "Varde one", source_kind="reddit"),
        Item("t3_b", "Varde two", source_kind="reddit"),
    ]

    class Reddit(Recorder):
        asked: list[str] = []

        def check_deleted(self, config, external_ids, *, deadline):
            Reddit.asked = sorted(external_ids)
            return ["t3_b"]

    reader = Reddit(Batch(items=items, cursor="1"))
    services.source_read(source_id=source.pk, lookup=lookup_from({"reddit": reader}))
    assert services.reddit_check_deleted(lookup=lookup_from({"reddit": reader})) == 1
    assert Reddit.asked == ["t3_a", "t3_b"]
    assert list(Mention.objects.values_list("external_id", flat=True)) == ["t3_a"]


DAY = (timezone.now() - dt.timedelta(days=2)).strftime("%d.%m.%Y")
CSV = (
    "Tekst;Dato;Forfatter;Lenke\n"
    f"Varde er et fint verktøy;{DAY} 10:00;Kari;https://x.test/1\n"
    f"Ingenting om merket;{DAY};Ola;https://x.test/2\n"
    "Varde igjen;ikke en dato;Per;\n"
).encode()


def test_csv_import_previews_then_imports_once(workspace, owner, client_as):
    services.query_create(workspace=workspace, name="Brand", text="varde")
    client = client_as(owner)
    upload = pytest.importorskip("django.core.files.uploadedfile").SimpleUploadedFile
    answer = client.post(
        url(workspace, "csv_upload"), {"file": upload("export.csv", CSV, "text/csv")}
    )
    page = answer.content.decode()
    assert answer.status_code == 200
    assert "Varde er et fint verktøy" in page
    assert "Line 4" in page or "Linje 4" in page  # the unreadable row, by its line
    assert Mention.objects.count() == 0  # nothing imported yet
    source = Source.objects.get(kind="csv")
    assert not source.enabled

    client.post(url(workspace, "csv_import", source_id=source.pk))
    assert list(Mention.objects.values_list("text", flat=True)) == ["Varde er et fint verktøy"]
    client.post(url(workspace, "csv_import", source_id=source.pk))
    assert Mention.objects.count() == 1


def test_a_failed_import_stores_nothing_and_says_what_to_fix(
    workspace, owner, client_as, monkeypatch
):
    services.query_create(workspace=workspace, name="Brand", text="varde")
    upload = pytest.importorskip("django.core.files.uploadedfile").SimpleUploadedFile
    client = client_as(owner)
    answer = client.post(
        url(workspace, "csv_upload"),
        {"file": upload("bad.csv", b"navn;alder\nKari;40\n", "text/csv")},
    )
    assert "date" in answer.content.decode() or "dato" in answer.content.decode()
    assert not Source.objects.exists()

    client.post(url(workspace, "csv_upload"), {"file": upload("ok.csv", CSV, "text/csv")})
    source = Source.objects.get(kind="csv")

    def broken_store(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(pipeline, "_rollup", broken_store)
    answer = client.post(url(workspace, "csv_import", source_id=source.pk), follow=True)
    assert Mention.objects.count() == 0
    source.refresh_from_db()
    assert source.cursor == ""  # the same file can be imported again once fixed
    assert "disk full" in answer.content.decode()


def test_the_connected_channels_comments_and_mentions_are_listened_to(workspace):
    from varde.channels.models import ConnectedAccount

    channel = ConnectedAccount.objects.create(
        workspace=workspace, connector_key="bluesky", label="Acme", handle="acme"
    )
    services.query_create(workspace=workspace, name="Brand", text="acme")
    now = timezone.now()

    def item(network_id, text, kind="mention"):
        return InboxItem.objects.create(
            workspace=workspace, channel=channel, network_id=network_id, kind=kind,
            author_handle="kari", author_name="Kari", text=text,
            url=f"https://bsky.test/{network_id}", created_at=now, received_at=now,
        )  # fmt: skip

    item("at://1", "Acme svarte raskt, takk!")
    item("at://2", "Acme: hemmelig melding", kind="dm")
    source = services.source_create(workspace=workspace, kind="channel")
    first = services.source_read(source_id=source.pk)
    item("at://3", "Hei @acme, når åpner dere?", kind="comment")
    second = services.source_read(source_id=source.pk)
    third = services.source_read(source_id=source.pk)
    assert [(o.read, o.stored) for o in (first, second, third)] == [(1, 1), (1, 1), (0, 0)]
    assert set(Mention.objects.values_list("source_kind", "external_id")) == {
        ("channel", "at://1"),
        ("channel", "at://3"),
    }


def test_the_sandbox_source_reads_brand_and_competitors_from_the_workspace(workspace):
    from varde.strategy.models import Competitor

    Competitor.objects.create(workspace=workspace, name="Rivalen")
    services.queries_create_from_plan(workspace=workspace)
    source = services.source_create(
        workspace=workspace, kind="sandbox", config={"per_hour": "20", "backfill_hours": "24"}
    )
    assert source.config == {"per_hour": "20", "backfill_hours": "24"}
    with time_machine.travel(NOW, tick=False):
        outcome = services.source_read(source_id=source.pk, now=NOW)
    assert outcome.ok
    assert outcome.stored > 100
    texts = list(Mention.objects.values_list("text", flat=True))
    assert any(workspace.name in t for t in texts)
    assert any("Rivalen" in t for t in texts)
    assert set(Mention.objects.values_list("language", flat=True)) == {"no", "en"}
    assert set(Mention.objects.values_list("source_kind", flat=True)) == {"sandbox"}


def test_sandbox_mentions_are_labelled_on_the_pages(workspace, owner, client_as):
    services.query_create(workspace=workspace, name="Brand", text=f'"{workspace.name}"')
    source = services.source_create(workspace=workspace, kind="sandbox")
    services.source_read(source_id=source.pk)
    client = client_as(owner)
    for name in ("stream", "volume", "sources"):
        page = client.get(url(workspace, name)).content.decode()
        assert "andbox" in page, name


def test_the_demo_gets_brand_and_competitor_queries_and_days_of_sandbox_mentions(workspace):
    from varde.strategy.models import Competitor

    Competitor.objects.create(workspace=workspace, name="Spinn Bergen")
    demo_listening_seed(workspace=workspace, actor=None)
    demo_listening_seed(workspace=workspace, actor=None)
    assert Source.objects.filter(kind="sandbox").count() == 1
    kinds = set(ListeningQuery.objects.values_list("kind", flat=True))
    assert {"brand", "competitor"} <= kinds
    mentions = Mention.objects.filter(source_kind="sandbox")
    assert mentions.count() > 300
    oldest = mentions.order_by("published_at").first().published_at
    assert timezone.now() - oldest > dt.timedelta(days=2)
