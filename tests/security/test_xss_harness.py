"""The XSS harness can fail: a template that marks a payload ``|safe`` is caught.

A test view renders one payload of the corpus through a small template, once escaped and once
with ``|safe``; the harness must find nothing in the first and the payload in the second, for
every payload of the corpus. Without this, a harness that never loaded the page, or whose
checks never matched, would pass the corpus test forever.
"""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.test import Client, override_settings
from django.urls import path

from tests.security.corpus import MARKUP, URLS
from tests.security.harness import InProcessSite, XssProbe
from varde.accounts.access import public_view

pytestmark = [pytest.mark.browser, pytest.mark.django_db, pytest.mark.xdist_group("browser")]

# The places a template puts text: the title, the body, both kinds of quoted attribute, a
# textarea, a JSON script; and a link.
PAGE = """<!doctype html><html><head><title>{{ text }}</title></head><body>
<p>{{ text }}</p><a href="{{ link }}">link</a><input value="{{ text }}">
<span title='{{ text }}'>x</span><textarea>{{ text }}</textarea>
<script type="application/json">{{ text }}</script></body></html>"""
TRUSTING_PAGE = PAGE.replace("{{ text }}", "{{ text|safe }}")


def _render(source: str, payload: str) -> HttpResponse:
    template = engines["django"].from_string(source)
    context = {"text": payload, "link": "https://example.test/"}
    if payload in URLS:
        context["link"] = payload
    return HttpResponse(template.render(context))


@public_view
def escaped(request: HttpRequest) -> HttpResponse:
    return _render(PAGE, request.GET["payload"])


@public_view
def trusted(request: HttpRequest) -> HttpResponse:
    return _render(TRUSTING_PAGE, request.GET["payload"])


urlpatterns = [path("escaped/", escaped), path("trusted/", trusted)]

# The payloads that are markup once unescaped; the others (entities, %-encoding, a JavaScript
# string breakout) are text in an HTML body even with |safe, and attacks only elsewhere.
LIVE_WHEN_TRUSTED = [p for p in MARKUP if "<" in p or "onfocus" in p or "onmouseover" in p]


@pytest.fixture
def probe(browser):
    with override_settings(ROOT_URLCONF=__name__):
        opened = XssProbe.open(browser, InProcessSite(Client(raise_request_exception=False)))
        yield opened
        opened.close()


def _visit(probe, view: str, payload: str):
    from urllib.parse import urlencode

    return probe.visit(f"/{view}/?{urlencode({'payload': payload})}")


def test_escaped_markup_is_text_and_only_script_links_are_reported(probe):
    for payload in MARKUP:
        assert _visit(probe, "escaped", payload) == [], payload
    # Escaping does not make a javascript: href safe; the harness must say so for the three
    # spellings a browser runs, and not for the encoded ones it does not.
    reported = [p for p in URLS if _visit(probe, "escaped", p)]
    assert reported == list(URLS[:3])


def test_a_payload_marked_safe_is_caught(probe):
    missed = [p for p in LIVE_WHEN_TRUSTED if not _visit(probe, "trusted", p)]
    assert missed == [], f"The harness did not see these payloads run: {missed}"
