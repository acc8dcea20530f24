"""Listening matcher benchmark: prints one JSON line of figures.

    python bench/listening_match.py --queries 10000 --documents 20000 --seed 1 --repeat 5

Generates realistic queries and a realistic mixed bokmål/English stream (bench/listening_data.py:
brand, competitor, campaign and trend queries with phrases, NEAR/n, wildcards, hashtags, handles,
NOT and fields; short posts with hashtags, links, emoji, about 15 % naming a brand of the query
set). Then, in this one process (one core): compile time, posts/s through `Matcher.match` (the
best and the median of `--repeat` passes over the stream), the share of posts that had a
candidate query and needed evaluation, matches, the Python heap traced while compiling, and the
peak RSS. See docs/benchmarks.md for how to read the figures.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from listening_data import generate

from varde.listening.query import compile_queries


def _rss_mb() -> float:
    """The current resident memory (Linux), to see what the compiled queries take."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description="Varde listening matcher benchmark")
    parser.add_argument("--queries", type=int, default=10000)
    parser.add_argument("--documents", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5, help="timed passes over the stream")
    parser.add_argument("--batch", type=int, default=1000, help="posts per match_many call")
    args = parser.parse_args()
    queries, posts = generate(args.queries, args.documents, args.seed)

    rss_before = _rss_mb()
    started = time.perf_counter()
    matcher = compile_queries(queries)
    compile_s = time.perf_counter() - started
    compiled_rss = _rss_mb() - rss_before

    batches = [posts[at : at + args.batch] for at in range(0, len(posts), args.batch)]
    rates, cpu_rates, single_rates = [], [], []
    results: list[list[int]] = []
    gc.collect()
    for _ in range(max(args.repeat, 1)):
        started, cpu_started = time.perf_counter(), time.process_time()
        results = [found for batch in batches for found in matcher.match_many(batch)]
        cpu_rates.append(args.documents / (time.process_time() - cpu_started))
        rates.append(args.documents / (time.perf_counter() - started))
        started = time.process_time()
        for post in posts:
            matcher.match(post)
        single_rates.append(args.documents / (time.process_time() - started))
    evaluated = sum(1 for post in posts if matcher.needs_evaluation(post))

    figures = {
        "bench": "listening_match",
        "queries": args.queries,
        "compiled": len(matcher.queries),
        "rejected": len(matcher.rejected),
        "literals": len(matcher.literals),
        "documents": args.documents,
        "compile_s": round(compile_s, 2),
        "batch": args.batch,
        "docs_per_cpu_s": round(max(cpu_rates)),
        "docs_per_cpu_s_median": round(statistics.median(cpu_rates)),
        "docs_per_s": round(max(rates)),
        "docs_per_s_median": round(statistics.median(rates)),
        "single_docs_per_cpu_s": round(max(single_rates)),
        "single_docs_per_cpu_s_median": round(statistics.median(single_rates)),
        "candidate_share": round(evaluated / args.documents, 3),
        "matches": sum(map(len, results)),
        "matched_share": round(sum(1 for found in results if found) / args.documents, 3),
        "compiled_rss_mb": round(compiled_rss, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "load_1m": round(os.getloadavg()[0], 2),
        "python": sys.version.split()[0],
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
