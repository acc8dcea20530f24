"""Many deliveries, several real worker processes, one fresh database: the chaos test's and the
benchmark's shared harness.

It runs in a process of its own (``python bench/loadrun.py`` or
``bench/publish.py``), because it points Django at a database created for the run: a new
SQLite file, or a new PostgreSQL database next to the one given. Worker processes
(``loop_process``) share that database, and Redis when given. With ``--chaos`` the harness
SIGKILLs workers at random moments and the sandbox injects timeouts, 5xx and 429 errors and
crashes right after accepting a post. At the end it counts, at the sandbox, what arrived for
each delivery: ``lost`` (none arrived) and ``duplicates`` (more than one arrived).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

# Short engine timings, so a killed worker's delivery comes back within the run.
FAST_ENGINE = {
    "VARDE_PUBLISH_LEASE_SECONDS": "2",
    "VARDE_PUBLISH_RETRY_BASE_SECONDS": "0.05",
    "VARDE_PUBLISH_RETRY_CAP_SECONDS": "1",
    "VARDE_PUBLISH_RECONCILE_SETTLE_SECONDS": "0.3",
    "VARDE_PUBLISH_MAX_TRIES": "100",
    "VARDE_PUBLISH_SAFETY_POLL_SECONDS": "1",
}


@dataclass
class Options:
    db: str = "sqlite"
    database_url: str = ""
    redis_url: str = ""
    workers: int = 4
    deliveries: int = 1000
    channels: int = 10
    chaos: bool = False
    seed: int = 1
    spread_deliveries: int = 0
    spread_seconds: float = 0.0
    # "Publish now" from another process: each scheduled due at once, one at a time.
    live_deliveries: int = 0
    live_seconds: float = 0.0
    timeout_s: float = 170.0
    # Give up when nothing was published for this long.
    stall_s: float = 60.0
    # Run each worker under cProfile and leave worker-<n>.prof here (bench/publish.py
    # --profile-workers): where a worker's CPU goes, in the real loop, beside the others.
    profile_dir: str = ""


# A worker under cProfile, timed in CPU seconds (time.process_time): where its CPU goes, not
# how long it waited for the SQLite write lock or for PostgreSQL.
_PROFILED_WORKER = """
import cProfile, runpy, time
profile = cProfile.Profile(time.process_time)
profile.enable()
try:
    runpy.run_module("varde.publishing.loop_process", run_name="__main__")
finally:
    profile.disable()
    profile.dump_stats({out!r})
"""


def _cpu_by_pid(pids: Any) -> dict[int, float]:
    """CPU seconds (user + system) each of the given processes of this machine has used, from
    /proc; a process that is gone is left out."""
    used = {}
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        # After the command name, in brackets: state is field 3, utime 14, stime 15.
        fields = stat.rsplit(")", 1)[1].split()
        used[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def _cpu_of(pids: Any) -> float:
    return sum(_cpu_by_pid(pids).values())


def _database_cpu() -> dict[int, float] | None:
    """CPU seconds used by each PostgreSQL server process of the run's database, when the
    server runs on this machine (its processes are in /proc); None for SQLite, which runs inside
    the workers, or for a server elsewhere."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        )
        pids = [row[0] for row in cursor.fetchall()]
    if pids and not any(Path(f"/proc/{pid}").exists() for pid in pids):
        return None  # a server on another machine
    return _cpu_by_pid(pids)


@dataclass
class Workers:
    env: dict[str, str]
    log_dir: Path
    profile_dir: str = ""
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    peak_rss_kb: int = 0
    kills: int = 0
    started: int = 0

    def start(self) -> subprocess.Popen[bytes]:
        self.started += 1
        log = (self.log_dir / f"worker-{self.started}.log").open("wb")
        if self.profile_dir:
            out = Path(self.profile_dir) / f"worker-{self.started}.prof"
            command = ["-c", _PROFILED_WORKER.format(out=str(out))]
        else:
            command = ["-m", "varde.publishing.loop_process"]
        process = subprocess.Popen(
            [sys.executable, *command],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        self.processes.append(process)
        return process

    def sample_rss(self) -> None:
        for process in self.processes:
            try:
                status = Path(f"/proc/{process.pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    self.peak_rss_kb = max(self.peak_rss_kb, int(line.split()[1]))

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the running workers have used so far, from /proc.

        CPU per send is the figure to compare between runs on a shared machine: unlike the wall
        clock, it hardly moves when other work competes for the cores. A worker killed in a
        chaos run takes its share with it; the benchmark kills none."""
        return _cpu_of(process.pid for process in self.processes)

    def wait_until_asleep(self, *, at_least: float, at_most: float) -> None:
        """Give the workers ``at_least`` seconds to start Django and fall asleep, and more, up
        to ``at_most``, while any of them still uses CPU: on a busy machine starting takes
        longer, and a burst that began before the workers were ready would count their start
        in its time and in the CPU per send."""
        time.sleep(at_least)
        give_up = time.monotonic() + max(0.0, at_most - at_least)
        used = self.cpu_seconds()
        while time.monotonic() < give_up:
            time.sleep(0.5)
            now_used = self.cpu_seconds()
            if now_used - used < 0.02:  # asleep: the 1 s safety poll costs less than this
                return
            used = now_used

    def replace_exited(self) -> None:
        for process in list(self.processes):
            if process.poll() is not None:
                self.processes.remove(process)
                self.start()

    def kill_one(self, rng: random.Random) -> bool:
        """SIGKILL one worker that is at work, and start another. False when none is yet.

        Only a worker that has claimed a delivery since it started is a victim: one still
        starting Django has nothing in flight, so killing it would test nothing.
        """
        self.sample_rss()
        working = self._working()
        if not working:
            return False
        victim = rng.choice(working)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        self.kills += 1
        self.processes.remove(victim)
        self.start()
        return True

    def _working(self) -> list[subprocess.Popen[bytes]]:
        import socket

        from varde.publishing.models import DeliveryAttempt

        names = {f"{socket.gethostname()}:{process.pid}": process for process in self.processes}
        busy = set(
            DeliveryAttempt.objects.filter(worker__in=list(names))
            .values_list("worker", flat=True)
            .distinct()
        )
        return [process for name, process in names.items() if name in busy]

    def stop(self) -> None:
        self.sample_rss()
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _prepare_environment(options: Options, scratch: Path) -> str | None:
    """Point this process (and the workers it starts) at a new database. Returns the
    PostgreSQL database to drop afterwards, if one was made."""
    os.environ.update(FAST_ENGINE)
    os.environ["DJANGO_SETTINGS_MODULE"] = "varde.conf.settings"
    os.environ["VARDE_DATA_DIR"] = str(scratch)
    os.environ.setdefault("VARDE_SECRET_KEY", "load-run-secret-key-0123456789-abcdefghijklmnop")
    os.environ["VARDE_CONNECTORS"] = "sandbox"
    os.environ["VARDE_LOG_LEVEL"] = "ERROR"
    os.environ["VARDE_SANDBOX_CRASH"] = "exit"
    os.environ["VARDE_SANDBOX_SEED"] = str(options.seed)
    os.environ["VARDE_QUEUE_NAME"] = f"varde-load-{uuid.uuid4().hex[:8]}"
    os.environ.pop("VARDE_REDIS_URL", None)
    if options.redis_url:
        os.environ["VARDE_REDIS_URL"] = options.redis_url
    if options.db == "sqlite":
        os.environ.pop("DATABASE_URL", None)
        return None
    import psycopg

    name = f"varde_load_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(options.database_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(options.database_url)
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    return name


def _drop_database(options: Options, name: str) -> None:
    import psycopg

    with psycopg.connect(options.database_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _seed(options: Options, at_times: list[datetime]) -> list[int]:
    """Posts for the given due times, spread over the channels; returns delivery ids."""
    from varde.content.choices import ApprovalState
    from varde.content.models import Post
    from varde.publishing import services
    from varde.publishing.models import Delivery

    workspace, channels = _workspace_and_channels(options)
    posts = Post.objects.bulk_create(
        [
            Post(
                workspace=workspace,
                text=f"Load post {uuid.uuid4().hex}",
                approval_state=ApprovalState.APPROVED,
            )
            for _ in at_times
        ],
        batch_size=1000,
    )
    services.deliveries_bulk_schedule(
        items=[
            (post, channels[i % len(channels)], at)
            for i, (post, at) in enumerate(zip(posts, at_times, strict=True))
        ]
    )
    return list(Delivery.objects.filter(post__in=posts).values_list("pk", flat=True))


_made: dict[str, Any] = {}


def _workspace_and_channels(options: Options) -> tuple[Any, list[Any]]:
    if _made:
        return _made["workspace"], _made["channels"]
    from varde.accounts.models import User
    from varde.accounts.services import workspace_create
    from varde.publishing.services import publishing_rules_for
    from varde.sandbox.services import sandbox_channel_create

    owner = User.objects.create_user(email="load@example.test", password=None, full_name="Load")
    workspace = workspace_create(name="Load", slug="load", owner=owner)
    rules = publishing_rules_for(workspace=workspace)
    rules.late_cutoff_minutes = 24 * 60  # the run measures lateness; it must never miss
    rules.save()
    channels = [
        sandbox_channel_create(workspace=workspace, label=f"Sandbox {n}", actor=owner)
        for n in range(options.channels)
    ]
    _made.update(workspace=workspace, channels=channels)
    return workspace, channels


def _add_chaos_faults() -> None:
    from varde.sandbox.choices import FaultKind
    from varde.sandbox.services import sandbox_fault_add

    sandbox_fault_add(kind=FaultKind.LATENCY, probability=1.0, latency_ms=15)
    sandbox_fault_add(kind=FaultKind.SERVER_ERROR, probability=0.04)
    sandbox_fault_add(kind=FaultKind.RATE_LIMITED, probability=0.02, retry_after_s=0.3)
    sandbox_fault_add(kind=FaultKind.TIMEOUT_LOST, probability=0.02)
    sandbox_fault_add(kind=FaultKind.TIMEOUT_ACCEPTED, probability=0.02)
    sandbox_fault_add(kind=FaultKind.CRASH_AFTER_ACCEPT, probability=0.003)


# With --chaos, one worker is SIGKILLed after every so many deliveries are published (seeded).
KILL_EVERY = (30, 120)


def _wait_until_settled(
    options: Options,
    ids: list[int],
    workers: Workers,
    rng: random.Random,
    deadline: float,
    *,
    tick: Callable[[], None] | None = None,
) -> bool:
    """Wait until every delivery is published: False after ``deadline``, or when nothing was
    published for ``options.stall_s`` (something is stuck).

    Chaos is paced by progress, not by the clock: a kill after every 30-120 published
    deliveries. On a fast machine that is a kill every second or so; on a busy one, where a
    worker may need seconds just to start, kills on a timer would outpace the work and the run
    would crawl while testing nothing more. Judging failure by progress rather than by a tight
    wall clock likewise keeps a slow machine from failing a run that is only slow.
    """
    from varde.publishing.choices import DeliveryState
    from varde.publishing.models import Delivery

    next_kill_at = rng.randint(*KILL_EVERY)
    done, last_progress = -1, time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - last_progress < options.stall_s:
        workers.replace_exited()
        # A range, not a 10,000-item IN list: the check runs ten times a second.
        now_done = Delivery.objects.filter(
            pk__gte=min(ids), pk__lte=max(ids), state=DeliveryState.PUBLISHED
        ).count()
        if now_done == len(ids):
            return True
        if now_done > done:
            done, last_progress = now_done, time.monotonic()
        if options.chaos and done >= next_kill_at and workers.kill_one(rng):
            next_kill_at = done + rng.randint(*KILL_EVERY)
        workers.sample_rss()
        if tick is not None:
            tick()
        time.sleep(0.1)
    return False


def _published_count(ids: list[int]) -> int:
    from varde.publishing.choices import DeliveryState
    from varde.publishing.models import Delivery

    return Delivery.objects.filter(
        pk__gte=min(ids), pk__lte=max(ids), state=DeliveryState.PUBLISHED
    ).count()


def _tally(ids: list[int]) -> dict[str, Any]:
    from django.db.models import Count, Min

    from varde.publishing.models import Delivery
    from varde.sandbox.models import SandboxPost

    deliveries = Delivery.objects.filter(pk__in=ids)
    keys = dict(deliveries.values_list("idempotency_key", "scheduled_at"))
    arrived = {
        row["idempotency_key"]: row
        for row in SandboxPost.objects.filter(idempotency_key__in=list(keys))
        .values("idempotency_key")
        .annotate(copies=Count("id"), first=Min("received_at"))
    }
    lateness = sorted((row["first"] - keys[key]).total_seconds() for key, row in arrived.items())
    states = dict(deliveries.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    return {
        "lost": sum(1 for key in keys if key not in arrived),
        "duplicates": sum(row["copies"] - 1 for row in arrived.values()),
        "last_arrival": max((row["first"] for row in arrived.values()), default=None),
        "lateness": lateness,
        "states": states,
    }


def _live_phase(options: Options, workers: Workers, rng: random.Random) -> dict[str, Any]:
    """Posts scheduled for "now", one at a time, while the workers sleep: how soon they go out
    is how fast a wake-up reaches another process (the local socket, Redis, or the poll)."""
    from django.utils import timezone

    step = options.live_seconds / options.live_deliveries
    ids: list[int] = []
    next_at = time.monotonic() + 0.5
    for _ in range(options.live_deliveries):
        time.sleep(max(0.0, next_at - time.monotonic()))
        ids += _seed(options, [timezone.now()])
        next_at += step
    settled = _wait_until_settled(options, ids, workers, rng, time.monotonic() + options.timeout_s)
    live = _tally(ids)
    return {
        "live_settled": settled,
        "live_lost": live["lost"],
        "live_duplicates": live["duplicates"],
        "live_lateness_p50_s": _percentile(live["lateness"], 0.50),
        "live_lateness_p99_s": _percentile(live["lateness"], 0.99),
        "live_lateness_max_s": _percentile(live["lateness"], 1.0),
    }


def _percentile(sorted_values: list[float], fraction: float) -> float | None:
    if not sorted_values:
        return None
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return round(sorted_values[index], 4)


def run(options: Options) -> dict[str, Any]:
    scratch = Path(tempfile.mkdtemp(prefix="varde-load-"))
    made_db = _prepare_environment(options, scratch)
    try:
        return _run_prepared(options, scratch)
    finally:
        if made_db:
            from django.db import connections

            connections.close_all()
            _drop_database(options, made_db)


class _CpuMeter:
    """The CPU the workers, PostgreSQL's processes for them and this process use from now on,
    and the machine's load, for the burst's figures."""

    def __init__(self, workers: Workers) -> None:
        self.workers = workers
        self.load = os.getloadavg()[0]
        self.worker_cpu = workers.cpu_seconds()
        self.database_cpu = _database_cpu()
        # The latest CPU seen of each server process, sampled during the burst: a worker's
        # connection may close (and its process end) as soon as the worker falls asleep, before
        # the end of the burst is measured.
        self.database_seen: dict[int, float] = dict(self.database_cpu or {})
        self.own_cpu = time.process_time()

    def sample_database(self) -> None:
        if self.database_cpu is not None:
            self.database_seen.update(_database_cpu() or {})

    def figures(self, sends: int) -> dict[str, Any]:
        worker_cpu = self.workers.cpu_seconds() - self.worker_cpu
        self.sample_database()
        database_cpu = (
            # A server process that started during the burst counts from zero; one that ended
            # counts up to its last sample (at most 0.1 s before it ended).
            sum(used - self.database_cpu.get(pid, 0.0) for pid, used in self.database_seen.items())
            if self.database_cpu is not None
            else None
        )
        return {
            # The 1-minute load average as the burst began and ended: on a shared machine the
            # wall figures mean little without it.
            "load_avg_1m": [round(self.load, 2), round(os.getloadavg()[0], 2)],
            "burst_worker_cpu_s": round(worker_cpu, 2),
            "cpu_ms_per_send": round(1000 * worker_cpu / sends, 3),
            # PostgreSQL's processes for the run's database, when the server is on this machine.
            "db_cpu_ms_per_send": round(1000 * database_cpu / sends, 3)
            if database_cpu is not None
            else None,
            # This process: seeding the burst and counting what is published, ten times a second.
            "burst_harness_cpu_s": round(time.process_time() - self.own_cpu, 2),
        }


def _run_prepared(options: Options, scratch: Path) -> dict[str, Any]:
    import django
    from django.core.management import call_command
    from django.utils import timezone

    django.setup()
    call_command("migrate", verbosity=0, skip_checks=True)
    _workspace_and_channels(options)
    if options.chaos:
        _add_chaos_faults()
    rng = random.Random(options.seed)
    workers = Workers(env=dict(os.environ), log_dir=scratch, profile_dir=options.profile_dir)
    for _ in range(options.workers):
        workers.start()
    workers.wait_until_asleep(at_least=2.5, at_most=30.0)
    started = time.monotonic()
    deadline = started + options.timeout_s
    result: dict[str, Any] = {}
    try:
        meter = _CpuMeter(workers)
        burst_at = timezone.now() + timedelta(seconds=0.5)
        burst_ids = _seed(options, [burst_at] * options.deliveries)
        settled = _wait_until_settled(
            options, burst_ids, workers, rng, deadline, tick=meter.sample_database
        )
        # Per delivery sent: a burst that did not finish in time is measured over what it sent.
        result.update(meter.figures(_published_count(burst_ids) or options.deliveries))
        burst = _tally(burst_ids)
        last = burst["last_arrival"]
        burst_seconds = (last - burst_at).total_seconds() if last and settled else None
        result.update(
            settled=settled,
            burst_seconds_to_all_sent=round(burst_seconds, 3) if burst_seconds else None,
            throughput_per_s=round(options.deliveries / burst_seconds, 1)
            if burst_seconds
            else None,
            lost=burst["lost"],
            duplicates=burst["duplicates"],
            states=burst["states"],
        )
        if options.spread_deliveries:
            start = timezone.now() + timedelta(seconds=1)
            step = options.spread_seconds / options.spread_deliveries
            times = [start + timedelta(seconds=i * step) for i in range(options.spread_deliveries)]
            spread_ids = _seed(options, times)
            spread_deadline = time.monotonic() + options.spread_seconds + options.timeout_s
            result["settled"] = settled and _wait_until_settled(
                options, spread_ids, workers, rng, spread_deadline
            )
            spread = _tally(spread_ids)
            result["lost"] += spread["lost"]
            result["duplicates"] += spread["duplicates"]
            result.update(
                lateness_p50_s=_percentile(spread["lateness"], 0.50),
                lateness_p99_s=_percentile(spread["lateness"], 0.99),
                lateness_max_s=_percentile(spread["lateness"], 1.0),
            )
        if options.live_deliveries:
            live = _live_phase(options, workers, rng)
            result["settled"] = result["settled"] and live.pop("live_settled")
            result["lost"] += live.pop("live_lost")
            result["duplicates"] += live.pop("live_duplicates")
            result.update(live)
    finally:
        workers.stop()
    result.update(
        kills=workers.kills,
        workers_started=workers.started,
        peak_rss_mb=round(workers.peak_rss_kb / 1024, 1),
        run_seconds=round(time.monotonic() - started, 1),
    )
    return result


def parse(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--database-url", default=os.environ.get("VARDE_TEST_DATABASE_URL", ""))
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--deliveries", type=int, default=1000)
    parser.add_argument("--channels", type=int, default=10)
    parser.add_argument("--chaos", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--spread-deliveries", type=int, default=0)
    parser.add_argument("--spread-seconds", type=float, default=0.0)
    parser.add_argument("--live-deliveries", type=int, default=0)
    parser.add_argument("--live-seconds", type=float, default=0.0)
    parser.add_argument("--timeout", type=float, default=170.0, dest="timeout_s")
    parser.add_argument("--stall-timeout", type=float, default=60.0, dest="stall_s")
    namespace = parser.parse_args(argv)
    options = Options(**vars(namespace))
    if options.db == "postgres" and not options.database_url:
        parser.error("--db postgres needs --database-url (or VARDE_TEST_DATABASE_URL)")
    return options


def main(argv: list[str] | None = None) -> None:
    result = run(parse(argv))
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
