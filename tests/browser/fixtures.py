"""Playwright for Python driving Debian's chromium (never a downloaded browser).

Registered once in ``tests/conftest.py``: the browser tests and the end-to-end tests that
drive a real peer through the browser share them.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(os.environ.get("VARDE_TEST_ARTIFACTS", "test-artifacts"))


def chromium_path() -> str | None:
    configured = os.environ.get("VARDE_TEST_BROWSER")
    if configured and Path(configured).exists():
        return configured
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def live_server(live_server):
    """pytest-django's live server, answering one request at a time.

    With SQLite in memory, every request thread of the threaded test server shares the test's
    one connection; two requests at once (an autosave while the form is submitted) then
    interleave their savepoints and one fails with "no such savepoint". A real deployment has a
    connection per thread, so only the test server is serialised: the lock is taken per
    request, not per connection, so a browser's kept-alive connections cannot starve it.
    """
    _serialise_requests(live_server.thread.httpd)
    return live_server


def _serialise_requests(httpd) -> None:
    application = httpd.get_app()
    if isinstance(application, _OneAtATime):
        return
    httpd.set_app(_OneAtATime(application))


class _OneAtATime:
    """A WSGI application that lets one request at a time reach the wrapped one."""

    def __init__(self, application) -> None:
        self.application = application
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            response = self.application(environ, start_response)
            # A streamed body reads the database while it is sent, and closing a response
            # runs request_finished: both happen under the lock too.
            body = list(response)
            close = getattr(response, "close", None)
            if close is not None:
                close()
            return body


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = chromium_path()
    if executable is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the live server's database
    # access from the test itself is still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    opened = context.new_page()
    opened.set_default_timeout(15000)
    yield opened
    context.close()


@pytest.fixture
def screenshot(page):
    def take(name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
