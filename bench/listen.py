"""The whole listening pipeline, measured: prints one JSON line of figures.

    python bench/listen.py --queries 10000 --posts 20000 --workers 2 --stored 1000000

A fresh SQLite database (or ``--database-url``, a PostgreSQL database it may fill) with one
workspace holding ``--queries`` generated listening queries (bench/listening_data.py: brand,
competitor, campaign and trend shapes with phrases, NEAR/n, wildcards, hashtags, handles, NOT and
fields), and a generated mixed bokmål/English stream of ``--posts`` posts. Then:

1. **The whole pipeline**, `listening.services.mentions_ingest` — the production path:
   normalise, dedupe against what is stored, language, match every query, "why" for the matched,
   sentiment, store in batches, rollups — in ``--workers`` processes, each taking its share of
   the stream in batches of ``--batch`` posts, once with the sentiment model on the matched
   posts and once without. Throughput is posts read per wall-clock second over all workers;
   latency is, per batch, the time from handing it to the pipeline to its commit (every post in
   it waits that long), p50 and p99 over the batches.
2. **The matcher alone** (`Matcher.match_many`), posts per CPU second in one process.
3. **Sentiment alone**, texts per second through the tier listening uses.
4. **The mention stream page** with ``--stored`` mentions in the workspace (bulk-inserted
   rows, 1,000,000 by default; 0 skips it): median and p95 of ``--repeat`` loads, its queries.

Figures are floors on a loaded machine: ``load_1m`` says the load when it finished.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import resource
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from listening_data import generate
from pages import django_with_fresh_database

SLUG = "bench"


@dataclass(frozen=True, slots=True)
class Item:
    """What a source hands the pipeline (the shape of `listening.sources.FoundItem`)."""

    source_kind: str
    external_id: str
    url: str
    author_name: str
    author_handle: str
    text: str
    lang: str | None
    published_at: dt.datetime
    site: str


def main() -> None:
    parser = argparse.ArgumentParser(description="Varde listening pipeline benchmark")
    parser.add_argument("--queries", type=int, default=10000)
    parser.add_argument("--posts", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--stored", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30, help="stream page loads")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    django_with_fresh_database(name="listen", database_url=args.database_url)

    queries, documents = generate(args.queries, args.posts, args.seed)
    figures: dict[str, object] = {
        "bench": "listen",
        "db": "postgres" if args.database_url else "sqlite",
        "queries": args.queries,
        "posts": args.posts,
        "workers": args.workers,
        "batch": args.batch,
    }
    figures.update(_matcher_alone(queries, documents))
    figures.update(_sentiment_alone(documents))
    for with_sentiment, label in ((True, "pipeline"), (False, "pipeline_no_sentiment")):
        slug = _workspace(f"{SLUG}-{label.replace('_', '-')}", queries)
        figures.update(_pipeline(slug, documents, args, with_sentiment=with_sentiment, label=label))
    if args.stored:
        figures.update(_stream_page(args.stored, args.repeat))
    figures["peak_rss_mb"] = round(_peak_rss_mb(), 1)
    figures["load_1m"] = round(os.getloadavg()[0], 2)
    print(json.dumps(figures))


def _workspace(slug: str, queries: list[tuple[int, str]]) -> str:
    """A workspace whose active queries are the generated ones (rows written in bulk: creating
    10,000 through the form's service would check each one again, which is not measured here)."""
    from varde.accounts.models import Workspace
    from varde.listening.models import ListeningQuery

    workspace = Workspace.objects.create(name=slug, slug=slug, timezone="Europe/Oslo")
    ListeningQuery.objects.bulk_create(
        [
            ListeningQuery(workspace=workspace, name=f"Query {number}", text=text, active=True)
            for number, text in queries
        ],
        batch_size=1000,
    )
    return slug


def _items(documents: list[object], offset: int) -> list[Item]:
    now = dt.datetime.now(dt.UTC)
    return [
        Item(
            source_kind="bench",
            external_id=f"post-{offset + n}",
            url=f"https://example.test/p/{offset + n}",
            author_name=document.author or f"Person {n % 997}",  # type: ignore[attr-defined]
            author_handle=document.author,  # type: ignore[attr-defined]
            text=document.text,  # type: ignore[attr-defined]
            lang=None,
            published_at=now - dt.timedelta(seconds=n),
            site=document.site,  # type: ignore[attr-defined]
        )
        for n, document in enumerate(documents)
    ]


def _pipeline(
    slug: str,
    documents: list[object],
    args: argparse.Namespace,
    *,
    with_sentiment: bool,
    label: str,
) -> dict[str, object]:
    from django.db import connections

    from varde.accounts.models import Workspace
    from varde.listening import pipeline

    # What a running worker holds already: the compiled queries, the language model (and the
    # sentiment model, loaded by _sentiment_alone). The forked workers inherit them.
    pipeline.matcher_for(Workspace.objects.get(slug=slug))
    pipeline.detect_language("Warming up the language model with a sentence.")
    connections.close_all()  # each worker process opens its own
    shares = [documents[n :: args.workers] for n in range(args.workers)]
    context = multiprocessing.get_context("fork")
    with context.Pool(args.workers) as pool:
        runs = pool.starmap(
            _ingest_share,
            [
                (slug, share, n * len(documents), args.batch, with_sentiment)
                for n, share in enumerate(shares)
            ],
        )
    # From the first worker's start to the last one's end: the pool's own start is not measured.
    wall = max(run["ended"] for run in runs) - min(run["started"] for run in runs)
    latencies = [latency for run in runs for latency in run["latencies"]]
    stored = sum(run["stored"] for run in runs)
    return {
        f"{label}_posts_per_s": round(len(documents) / wall),
        f"{label}_stored": stored,
        f"{label}_latency_p50_ms": round(statistics.median(latencies) * 1000),
        f"{label}_latency_p99_ms": round(_quantile(latencies, 0.99) * 1000),
        f"{label}_cpu_us_per_post": round(sum(run["cpu"] for run in runs) / len(documents) * 1e6),
    }


def _ingest_share(
    slug: str, documents: list[object], offset: int, batch: int, with_sentiment: bool
) -> dict[str, object]:
    from varde.accounts.models import Workspace
    from varde.listening import pipeline
    from varde.listening.services import mentions_ingest

    workspace = Workspace.objects.get(slug=slug)
    sentiment = None if with_sentiment else pipeline.no_sentiment
    items = _items(documents, offset)
    latencies, stored = [], 0
    pipeline.matcher_for(workspace)  # inherited from the parent; this checks it is current
    started_at = time.time()
    cpu_started = time.process_time()
    for at in range(0, len(items), batch):
        started = time.perf_counter()
        result = mentions_ingest(
            workspace=workspace, items=items[at : at + batch], sentiment=sentiment
        )
        latencies.append(time.perf_counter() - started)
        stored += result.stored
    return {
        "latencies": latencies,
        "stored": stored,
        "cpu": time.process_time() - cpu_started,
        "started": started_at,
        "ended": time.time(),
    }


def _matcher_alone(queries: list[tuple[int, str]], documents: list[object]) -> dict[str, object]:
    from varde.listening.query import compile_queries

    matcher = compile_queries(queries)
    batches = [documents[at : at + 1000] for at in range(0, len(documents), 1000)]
    rates = []
    for _ in range(3):
        started = time.process_time()
        for batch in batches:
            matcher.match_many(batch)  # type: ignore[arg-type]
        rates.append(len(documents) / (time.process_time() - started))
    return {"matcher_posts_per_cpu_s": round(max(rates))}


def _sentiment_alone(documents: list[object]) -> dict[str, object]:
    from varde.listening.pipeline import default_sentiment

    texts = [document.text for document in documents[:2000]]  # type: ignore[attr-defined]
    default_sentiment(texts[:10])  # loads the model
    started = time.perf_counter()
    for at in range(0, len(texts), 200):
        default_sentiment(texts[at : at + 200])
    return {"sentiment_texts_per_s": round(len(texts) / (time.perf_counter() - started))}


def _stream_page(stored: int, repeat: int) -> dict[str, object]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from varde.accounts.models import Membership, User, Workspace
    from varde.accounts.roles import Role
    from varde.listening.models import Mention

    workspace = Workspace.objects.create(name="Stream", slug="stream", timezone="Europe/Oslo")
    user = User.objects.create_user(email="reader@example.test", full_name="Reader")
    Membership.objects.create(user=user, workspace=workspace, role=Role.EDITOR)
    now = dt.datetime.now(dt.UTC)
    languages = ("no", "en", "no", "sv", "")
    sentiments = ("positive", "negative", "neutral", None)
    for first in range(0, stored, 10_000):
        Mention.objects.bulk_create(
            [
                Mention(
                    workspace=workspace,
                    source_kind="bench",
                    external_id=f"stored-{n}",
                    url=f"https://example.test/s/{n}",
                    author_name=f"Person {n % 5000}",
                    author_handle=f"person{n % 5000}",
                    text=f"Innlegg nummer {n} om kaffe og fjellet, og litt om været i dag.",
                    language=languages[n % len(languages)],
                    published_at=now - dt.timedelta(seconds=30 * n),
                    received_at=now,
                    sentiment=sentiments[n % len(sentiments)],
                )
                for n in range(first, min(first + 10_000, stored))
            ],
            batch_size=2000,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(user)
    figures: dict[str, object] = {"stored_mentions": stored}
    pages = {
        "stream": "/w/stream/listening/",
        "stream_language": "/w/stream/listening/?language=en",
    }
    for name, url in pages.items():
        first_response = client.get(url)
        if first_response.status_code != 200:
            raise SystemExit(f"{url} answered {first_response.status_code}")
        times = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                client.get(url)
                times.append(time.perf_counter() - started)
        figures[f"{name}_ms"] = round(statistics.median(times) * 1000)
        figures[f"{name}_p95_ms"] = round(_quantile(times, 0.95) * 1000)
        figures[f"{name}_queries"] = len(captured)
    return figures


def _quantile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _peak_rss_mb() -> float:
    """The largest resident memory of this process and of the workers it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


if __name__ == "__main__":
    main()
