"""Pages rendered by Django in this process and shown in headless Chromium, CSP removed.

Chromium's requests never reach a socket: a Playwright route hands each one to Django's test
client, in the test's own thread and database transaction, and fulfils it with the answer.
That is fast (no live server, no transactional database) and lets the harness drop the
``Content-Security-Policy`` header from every answer, whichever view or middleware set it: the
CSP is the second wall, and these tests look at the first one, the escaping.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.contrib.staticfiles import finders
from django.db import connections as db_connections
from django.test import Client
from playwright.sync_api import Error as PlaywrightError

from tests.security.corpus import FILL_AND_SUBMIT, FIND_LIVE_PAYLOADS, LIST_FORMS, payload_text

ORIGIN = "http://testserver"
# Headers a browser sends that Django's test client must see to answer the same way (htmx).
PASSED_HEADERS = ("hx-request", "hx-target", "hx-trigger", "hx-current-url", "x-csrftoken")
SETTLE_MS = 80
DROPPED_HEADERS = {"content-security-policy", "content-security-policy-report-only"}


@dataclass
class Finding:
    url: str
    what: str


@dataclass
class InProcessSite:
    """Answers Chromium's requests with Django's test client; records what it served."""

    client: Client
    errors: list[Finding] = field(default_factory=list)
    # Playwright calls the route handler inside its event loop, where Django's per-context
    # connection storage would open a second connection that cannot see (SQLite: is locked
    # out by) the test's open transaction; the handler uses the test's own connections.
    connections: dict[str, Any] = field(default_factory=dict)
    # Answers already rendered (by the walk), served once each instead of rendering again.
    rendered: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.connections = {alias: db_connections[alias] for alias in db_connections}

    def handle(self, route: Any) -> None:
        for alias, connection in self.connections.items():
            db_connections[alias] = connection
        request = route.request
        parts = urlsplit(request.url)
        if f"{parts.scheme}://{parts.netloc}" != ORIGIN:
            route.abort()  # a payload's request to elsewhere goes nowhere
            return
        if parts.path.startswith("/static/"):
            route.fulfill(**self._static(parts.path.removeprefix("/static/")))
            return
        route.fulfill(**self._django(request, parts))

    def _static(self, name: str) -> dict[str, Any]:
        found = finders.find(name)
        if not found:
            return {"status": 404, "body": ""}
        path = Path(str(found))
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return {"status": 200, "body": path.read_bytes(), "content_type": content_type}

    def _django(self, request: Any, parts: Any) -> dict[str, Any]:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        if request.method == "GET" and target in self.rendered:
            return self._answer(target, self.rendered.pop(target))
        headers = {
            name: value for name, value in request.headers.items() if name.lower() in PASSED_HEADERS
        }
        if request.method == "POST":
            response = self.client.generic(
                "POST",
                target,
                request.post_data_buffer or b"",
                content_type=request.headers.get("content-type", ""),
                headers=headers,
            )
        else:
            response = self.client.generic(request.method, target, headers=headers)
        return self._answer(target, response)

    def _answer(self, target: str, response: Any) -> dict[str, Any]:
        if response.status_code >= 500:
            self.errors.append(Finding(target, f"HTTP {response.status_code}"))
        body = b"".join(response.streaming_content) if response.streaming else response.content
        kept = {k: v for k, v in response.headers.items() if k.lower() not in DROPPED_HEADERS}
        return {"status": response.status_code, "headers": kept, "body": body}


@dataclass
class XssProbe:
    """One Chromium page that loads pages and says which payloads ran or lie ready to run."""

    page: Any
    dialogs: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, browser: Any, site: InProcessSite) -> XssProbe:
        context = browser.new_context(base_url=ORIGIN, locale="en-GB", java_script_enabled=True)
        context.route("**/*", site.handle)
        page = context.new_page()
        page.set_default_timeout(10000)
        probe = cls(page)
        page.on("dialog", probe._record_dialog)
        return probe

    def _record_dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def visit(self, url: str) -> list[Finding]:
        """Load ``url``, let its scripts and htmx requests settle, and report what ran."""
        before = len(self.dialogs)
        self.page.goto(url, wait_until="load")
        # Requests htmx sends on load are answered in this thread while Playwright waits, so a
        # short wait lets them land; waiting for "networkidle" would cost 500 ms a page.
        self.page.wait_for_timeout(SETTLE_MS)
        found = [Finding(url, f"dialog {text}") for text in self.dialogs[before:]]
        found += [Finding(url, what) for what in self.page.evaluate(FIND_LIVE_PAYLOADS)]
        return found

    def close(self) -> None:
        self.page.context.close()


@dataclass
class FormRun:
    """Every form met on the pages, filled with the corpus and sent once."""

    upload: bytes  # what a file field gets: a table with payloads in every cell
    log_in: Any  # called before each form: a form may end the session (a changed password)
    sent: set[tuple[str, tuple[str, ...]]] = field(default_factory=set)
    fields: int = 0
    uploads: list[str] = field(default_factory=list)  # the actions a table was uploaded to


def _typed_texts(names: list[str], offset: int) -> dict[str, str]:
    return {name: payload_text(offset + number, 300) for number, name in enumerate(names)}


def submit_every_form(probe: XssProbe, url: str, run: FormRun) -> list[Finding]:
    """Send each new form of the page at ``url`` with payloads in every field a person types
    into (and the corpus table in every file field), and look at the answer in Chromium."""
    probe.page.goto(url, wait_until="load")
    findings = []
    fresh = True
    for form in probe.page.evaluate(LIST_FORMS):
        key = (form["action"], tuple(form["typed"] + form["files"]))
        if key in run.sent or not (form["typed"] or form["files"]):
            continue
        run.sent.add(key)
        run.fields += len(form["typed"]) + len(form["files"])
        if form["files"]:
            run.uploads.append(form["action"])
        if not fresh:
            probe.page.goto(url, wait_until="load")
        fresh = False
        run.log_in()
        findings += _send(probe, form, run, f"{url} → form to {form['action']}")
    return findings


def _send(probe: XssProbe, form: dict[str, Any], run: FormRun, where: str) -> list[Finding]:
    before = len(probe.dialogs)
    if probe.page.locator("form").count() <= form["index"]:
        return []  # the page changed since (an earlier form removed something)
    chosen = probe.page.locator("form").nth(form["index"])
    for name in form["files"]:
        chosen.locator(f'input[type=file][name="{name}"]').set_input_files(
            files=[{"name": "corpus.csv", "mimeType": "text/csv", "buffer": run.upload}]
        )
    texts = _typed_texts(form["typed"], offset=len(run.sent))
    if not probe.page.evaluate(FILL_AND_SUBMIT, [form["index"], texts]):
        return []
    probe.page.wait_for_timeout(SETTLE_MS)
    live = _live_payloads(probe)
    found = [Finding(where, f"dialog {text}") for text in probe.dialogs[before:]]
    return found + [Finding(where, what) for what in live]


def _live_payloads(probe: XssProbe) -> list[str]:
    """The DOM check, after a navigation the submit may still be in the middle of."""
    for _attempt in range(3):
        probe.page.wait_for_load_state("load")
        try:
            found: list[str] = probe.page.evaluate(FIND_LIVE_PAYLOADS)
        except PlaywrightError:  # the page navigated while the check ran: check the new one
            probe.page.wait_for_timeout(SETTLE_MS)
            continue
        return found
    raise AssertionError("the page kept navigating")
