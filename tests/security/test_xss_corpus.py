"""The XSS corpus in every text field of every model, and every page shown in Chromium.

A workspace is filled with one row of every model and payloads in every text field
(``fill.py``), every GET route of the resolver is visited with that workspace's ids
(``pages.py``), and each page is loaded in headless Chromium with the CSP removed
(``harness.py``). The test fails on a dialog, on ``window.__xss``, on a payload that lies in the
page as live markup (an event handler, a ``javascript:`` link, a script), and on a page that
answers 500 with this data.
"""

from __future__ import annotations

import logging
import time

import pytest
from django.test import Client

from tests.security.harness import InProcessSite, XssProbe
from tests.security.pages import walk_pages

log = logging.getLogger(__name__)
pytestmark = [pytest.mark.browser, pytest.mark.django_db, pytest.mark.xdist_group("browser")]

# Fewer than this and the fill or the walk has broken, not the pages become safe.
MIN_FIELDS = 150
MIN_PAGES = 60


def test_no_payload_runs_on_any_page(browser, filled_workspace):
    workspace, owner, filled = filled_workspace
    started = time.monotonic()
    client = Client(raise_request_exception=False)
    walked = walk_pages(client, workspace, owner)
    walked_in = time.monotonic() - started
    site = InProcessSite(client, rendered=walked.answers)
    probe = XssProbe.open(browser, site)
    findings = []
    try:
        for _name, url in walked.pages:
            findings += probe.visit(url)
    finally:
        probe.close()
    # The numbers docs/security.md quotes: pytest -o log_cli=true -o log_cli_level=INFO.
    log.info(
        "XSS corpus: %s fields in %s rows, %s pages rendered, %s POST-only, %s not HTML, "
        "%s unreached; walk %.1f s, walk and Chromium %.1f s; rows made for %s; not made: %s",
        len(filled.fields),
        filled.rows,
        len(walked.pages),
        len(walked.post_only),
        len(walked.not_html),
        len(walked.unreached),
        walked_in,
        time.monotonic() - started,
        filled.models_created,
        filled.models_not_created,
    )
    assert walked.errors == [], walked.errors
    assert site.errors == [], site.errors
    assert findings == [], "\n".join(f"{f.url}: {f.what}" for f in findings)
    assert walked.unreached == [], (
        f"No address of these routes answered: {walked.unreached}. Give the parameter "
        "values in tests/security/pages.py (PARAM_VALUES, ADDRESSES), or make the fill create "
        "the row."
    )
    assert len(filled.fields) >= MIN_FIELDS
    assert len(walked.pages) >= MIN_PAGES
