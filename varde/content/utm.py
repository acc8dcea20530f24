"""UTM parameters: so that traffic from each channel and campaign can be told apart later.

``utm_source`` is the network, ``utm_medium`` "social" (or the campaign's own medium; "email"
for the newsletter), ``utm_campaign`` the campaign's name in links. Parameters already in the
link the author pasted are kept as they are: the author chose them.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

DEFAULT_MEDIUM = "social"
# Networks whose readers arrive from an e-mail rather than a social feed.
EMAIL_NETWORKS = frozenset({"newsletter"})


def utm_parameters(*, network: str, campaign: str = "", medium: str = "") -> dict[str, str]:
    params = {
        "utm_source": network,
        "utm_medium": medium or ("email" if network in EMAIL_NETWORKS else DEFAULT_MEDIUM),
    }
    if campaign:
        params["utm_campaign"] = campaign
    return params


def link_with_utm(url: str, params: dict[str, str]) -> str:
    """``url`` with ``params`` added to its query; an existing parameter wins."""
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        return url
    query = parse_qsl(parts.query, keep_blank_values=True)
    present = {key for key, _value in query}
    query += [(key, value) for key, value in params.items() if key not in present and value]
    return urlunsplit(parts._replace(query=urlencode(query)))
