"""The XSS corpus: what an attacker types into a form, a CSV cell or a post on a network.

Every payload carries the marker ``VXSS``. If one runs, it either opens a dialog or sets
``window.__xss``; if one was written into the page as markup without running yet (an event
handler that waits for a hover, a ``javascript:`` link that waits for a click), the DOM check
in :data:`FIND_LIVE_PAYLOADS` finds it. Escaped text contains the marker too, but only as text,
which the check does not count.
"""

from __future__ import annotations

import csv
import io

MARKER = "VXSS"

# Short enough that most fit a 120-character field on their own; longer fields get several.
MARKUP = (
    "<script>alert('VXSS')</script>",
    "<ScRiPt>window.__xss='VXSS'</sCrIpT>",
    "\"><img src=x onerror=alert('VXSS')>",
    "'><svg onload=alert('VXSS')>",
    "\" autofocus onfocus=\"alert('VXSS')",
    "' onmouseover='alert(`VXSS`)",
    "<svg><script>alert('VXSS')</script></svg>",
    "<svg/onload=window.__xss='VXSS'>",
    "</textarea><script>alert('VXSS')</script>",
    "</title><script>alert('VXSS')</script>",
    "</script><script>alert('VXSS')</script>",
    "<iframe srcdoc=\"<script>parent.alert('VXSS')</script>\"></iframe>",
    "<details open ontoggle=alert('VXSS')>",
    "<a href=\"javascript:alert('VXSS')\">VXSS</a>",
    "<div hx-get=/ hx-trigger=load hx-on::load=\"alert('VXSS')\">",
    "<input autofocus onfocus=alert('VXSS')>",
    "&lt;script&gt;alert('VXSS')&lt;/script&gt;",
    "%3Cscript%3Ealert('VXSS')%3C/script%3E",
    "\\u003cscript\\u003ealert('VXSS')\\u003c/script\\u003e",
    "';alert('VXSS');//",
    "${alert('VXSS')}`-alert('VXSS')-`",
)
# A link the page may put in an href; escaping does not help there, only the scheme check.
URLS = (
    "javascript:alert('VXSS')",
    "JaVaScRiPt:alert('VXSS')",
    " java\tscript:alert('VXSS')",
    "&#106;avascript:alert('VXSS')",
    "javascript%3Aalert('VXSS')",
    "https://example.test/\"><script>alert('VXSS')</script>",
)
PAYLOADS = MARKUP + URLS


def payload_text(offset: int, limit: int | None, *, url_first: bool = False) -> str:
    """Payloads joined from ``offset`` on, cut to ``limit`` characters.

    The offset turns: field after field starts with another payload, so a short field is
    tried with each kind of payload somewhere. A field that holds a link gets the link
    payloads first, the shape that field's template is most likely to trust.
    """
    ordered = (URLS + MARKUP) if url_first else PAYLOADS
    start = offset % len(ordered)
    rotated = ordered[start:] + ordered[:start]
    text = " ".join(rotated)
    if limit is not None:
        text = text[:limit]
    return text


# A payload that ran, or one that is markup on the page ready to run. Returns descriptions.
FIND_LIVE_PAYLOADS = r"""() => {
  const found = [];
  const flat = (v) => v.replace(/[\u0000-\u0020]/g, '').toLowerCase();
  if (window.__xss) found.push('window.__xss = ' + String(window.__xss));
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster'];
  const jsTypes = ['', 'text/javascript', 'module', 'application/javascript'];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value;
      if ((name.startsWith('on') || name.startsWith('hx-on')) && value.includes('VXSS')) {
        found.push(`<${tag} ${name}="${value.slice(0, 80)}">`);
      }
      if (urlAttrs.includes(name) && flat(value).startsWith('javascript:')) {
        found.push(`<${tag} ${name}="${value.slice(0, 80)}">`);
      }
      if (name === 'srcdoc' && value.includes('VXSS')) {
        found.push(`<${tag} srcdoc="${value.slice(0, 80)}">`);
      }
    }
    if (tag === 'script' && jsTypes.includes((el.getAttribute('type') || '').toLowerCase())
        && el.textContent.includes('VXSS')) {
      found.push('<script>' + el.textContent.slice(0, 80));
    }
  }
  return found;
}"""


# The forms on a page, as data the harness can replay: which form (by index), its action and
# the names of the fields a person types into. A form's identity is its action and fields, so
# the header's forms, on every page, are tried once.
LIST_FORMS = r"""() => Array.from(document.forms).map((form, index) => ({
  index,
  action: form.getAttribute('hx-post') || form.getAttribute('action') || location.pathname,
  typed: Array.from(form.elements).filter((el) => (
    el.tagName === 'TEXTAREA' || (el.tagName === 'INPUT' && ['text', 'search', 'url', 'email',
      'tel', ''].includes((el.getAttribute('type') || '').toLowerCase()))
  ) && el.name && !el.disabled && !el.readOnly).map((el) => el.name),
  files: Array.from(form.querySelectorAll('input[type=file]')).map((el) => el.name),
}))"""

# Fill the typed fields of form ``index`` with the given texts and submit it as a person would
# (requestSubmit runs htmx's handler and the browser's own), with the browser's own checks off
# so the server's validation, and its error page, is what answers.
FILL_AND_SUBMIT = r"""([index, texts]) => {
  const form = document.forms[index];
  if (!form) return false;  // the page changed since (an earlier form removed something)
  form.noValidate = true;
  for (const [name, text] of Object.entries(texts)) {
    for (const el of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) el.value = text;
  }
  const button = 'button[type=submit], input[type=submit], button:not([type])';
  form.requestSubmit(form.querySelector(button) || undefined);
  return true;
}"""


def corpus_table() -> bytes:
    """A CSV every importer reads past its header: the column names of the calendar import,
    the subscriber import and the listening import, then rows of payloads, one row with a
    valid date and address so the previews show rows and not only errors."""
    header = ["text", "channels", "date", "time", "campaign", "pillar", "mix_category", "link"]
    header += ["paid", "email", "name", "url", "author", "handle", "site"]
    rows = [header]
    for start in range(0, len(PAYLOADS), 3):
        rows.append([payload_text(start + column, 200) for column in range(len(header))])
    valid = dict.fromkeys(header, "")
    valid.update(date="2030-04-07", time="09:00", email="reader@example.test", paid="no")
    rows.append([valid[name] or payload_text(number, 200) for number, name in enumerate(header)])
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()
