"""Publishing benchmark: prints one JSON line of figures.

    python bench/publish.py --db sqlite --workers 2 --deliveries 10000 --channels 10

Phase 1 (burst): every delivery due at the same instant; how long until the sandbox has all.
Phase 2 (spread): --spread-deliveries due evenly over --spread-seconds; lateness is the time
the sandbox received each post minus the time it was scheduled for.
See docs/benchmarks.md for how to read the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import loadrun  # bench/loadrun.py: the harness shared with the chaos test


def _wake_kind(redis_url: str) -> str:
    """How workers in other processes hear of a newly scheduled post."""
    if redis_url:
        return "redis"
    if os.environ.get("VARDE_PUBLISH_LOCAL_WAKE", "1").strip() == "0":
        return "poll"
    return "local"


def main() -> None:
    parser = argparse.ArgumentParser(description="Varde publishing benchmark")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "VARDE_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
        help="PostgreSQL server to create a scratch database on (with --db postgres)",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("VARDE_TEST_REDIS_URL", ""),
        help="Redis for the wake-up signal (default with --db postgres: VARDE_TEST_REDIS_URL)",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--deliveries", type=int, default=10_000)
    parser.add_argument("--channels", type=int, default=10)
    parser.add_argument("--spread-deliveries", type=int, default=1000)
    parser.add_argument("--spread-seconds", type=float, default=60.0)
    parser.add_argument(
        "--live-deliveries",
        type=int,
        default=200,
        help="posts scheduled for 'now' one at a time while the workers sleep (0: skip)",
    )
    parser.add_argument("--live-seconds", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    options = loadrun.Options(
        db=args.db,
        database_url=args.database_url if args.db == "postgres" else "",
        redis_url=args.redis_url if args.db == "postgres" else "",
        workers=args.workers,
        deliveries=args.deliveries,
        channels=args.channels,
        seed=args.seed,
        spread_deliveries=args.spread_deliveries,
        spread_seconds=args.spread_seconds,
        live_deliveries=args.live_deliveries,
        live_seconds=args.live_seconds,
        timeout_s=600,
    )
    result = loadrun.run(options)
    figures = {
        "bench": "publish",
        "db": args.db,
        "workers": args.workers,
        "deliveries": args.deliveries,
        "channels": args.channels,
        "burst_seconds_to_all_sent": result.get("burst_seconds_to_all_sent"),
        "spread_deliveries": args.spread_deliveries,
        "spread_seconds": args.spread_seconds,
        "lateness_p50_s": result.get("lateness_p50_s"),
        "lateness_p99_s": result.get("lateness_p99_s"),
        "lateness_max_s": result.get("lateness_max_s"),
        "live_deliveries": args.live_deliveries,
        "live_lateness_p50_s": result.get("live_lateness_p50_s"),
        "live_lateness_p99_s": result.get("live_lateness_p99_s"),
        "live_lateness_max_s": result.get("live_lateness_max_s"),
        "throughput_per_s": result.get("throughput_per_s"),
        "duplicates": result["duplicates"],
        "lost": result["lost"],
        "peak_rss_mb": result["peak_rss_mb"],
        "wake": _wake_kind(options.redis_url),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
