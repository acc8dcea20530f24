"""The XSS corpus typed into every form of every page, and the answers shown in Chromium.

The model fill (``test_xss_corpus.py``) tries what is stored; this tries what a form does with
what is typed before it is stored: error pages that repeat the input, previews of an upload
(the calendar's, the subscriber list's and listening's imports get a table with payloads in
every cell), messages that quote a value, htmx partials. The forms are read from the pages
themselves, so a form added later is tried too. Every form is sent once, as the workspace
owner, with payloads in each field a person types into and the browser's own checks off.
"""

from __future__ import annotations

import logging
import time

import pytest
from django.test import Client

from tests.security.corpus import corpus_table
from tests.security.harness import FormRun, InProcessSite, XssProbe, submit_every_form
from tests.security.pages import walk_pages

log = logging.getLogger(__name__)
pytestmark = [pytest.mark.browser, pytest.mark.django_db, pytest.mark.xdist_group("browser")]

MIN_FORMS = 30


def test_no_payload_typed_into_a_form_runs(browser, filled_workspace):
    workspace, owner, _filled = filled_workspace
    started = time.monotonic()
    client = Client(raise_request_exception=False)
    walked = walk_pages(client, workspace, owner)
    site = InProcessSite(client)
    probe = XssProbe.open(browser, site)
    run = FormRun(upload=corpus_table(), log_in=lambda: client.force_login(owner))
    findings = []
    try:
        for _name, url in walked.pages:
            findings += submit_every_form(probe, url, run)
    finally:
        probe.close()
    log.info(
        "XSS forms: %s forms, %s fields sent from %s pages in %.1f s; tables uploaded to %s",
        len(run.sent),
        run.fields,
        len(walked.pages),
        time.monotonic() - started,
        run.uploads,
    )
    assert findings == [], "\n".join(f"{f.url}: {f.what}" for f in findings)
    assert site.errors == [], site.errors
    assert len(run.sent) >= MIN_FORMS
    assert any("/import" in action for action in run.uploads), run.uploads
