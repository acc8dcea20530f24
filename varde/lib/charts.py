"""What every chart in Varde shares: Vega-Lite specs built with Altair, drawn in the page by the
vendored vega-embed (``static/lib/charts/charts.js``, included with
``{% include "lib/charts_head.html" %}``) and rendered to SVG by vl-convert for documents
(``analytics.charts.to_svg``, with the bokmål number and date formats).

Conventions the page script relies on:

* a spec lives in a ``<script type="application/json">`` tag (``json_script``, which escapes
  ``<``, ``>`` and ``&``), named by ``data-chart-spec`` on the element it is drawn in;
* a data row may carry a ``link`` (see ``LINK_FIELD``): clicking the mark drawn from it goes
  there. Only a path on this site (``/…``, not ``//…``) is followed, in page and in script;
* text is data, never markup: Vega draws it as SVG text nodes and no tooltip handler (which
  writes HTML) is used. Field names are fixed by the code, never taken from the data, so a
  stranger's name cannot become a Vega expression.

Every chart needs its numbers as a table beside it (screen readers, keyboards, no script).
"""

from __future__ import annotations

import json
from typing import Any

LINK_FIELD = "link"


def local_link(url: str) -> str:
    """``url`` when it is a path on this site, else "" (what ``charts.js`` follows)."""
    return url if url.startswith("/") and not url.startswith("//") else ""


def spec_of(chart: Any) -> dict[str, Any]:
    """An Altair chart as a plain Vega-Lite spec (a dict ready for ``json_script``)."""
    spec: dict[str, Any] = chart.to_dict()
    return spec


def template_of(chart: Any) -> str:
    """An Altair chart built without its data, as JSON, for ``with_rows``.

    Altair validates a chart against the Vega-Lite schema when it is built and written out,
    which costs about 0.1 s a chart: a page draws its charts from templates made once per
    process (and language), validated then, and only the rows change per request."""
    spec = spec_of(chart)
    spec.pop("data", None)
    for layer in spec.get("layer", []):
        layer.pop("data", None)
    return json.dumps(spec)


def with_rows(template: str, rows: list[dict[str, Any]], **top: Any) -> dict[str, Any]:
    """The spec of ``template`` drawing ``rows``, with ``top`` set at the top level."""
    spec: dict[str, Any] = json.loads(template)
    spec["data"] = {"values": rows}
    spec.update(top)
    return spec
