"""The one table of words for what a connector reports: limit problems and error codes.

``varde.connectors`` states each rule once (``connectors/checks.py``) and reports a broken one
as a ``Problem`` (a code and numbers), and a refusal as an error with a code and the network's
own text. This module puts both into the reader's language, for the composer's live checks
(``content.rules``) and for the reason the publishing engine stores when a send fails, so the
author reads the same sentence in both places, in bokmål or English.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from varde.connectors.errors import (
    AuthExpired,
    ConnectorError,
    OutcomeUnknown,
    RateLimited,
    Rejected,
    Transient,
)
from varde.content.refusal_words import REFUSAL_WORDS
from varde.content.video_rules import aspect_words, duration_words
from varde.lib.localformat import plain_number

if TYPE_CHECKING:
    from varde.connectors.checks import Problem


def _part(values: dict[str, Any]) -> str:
    part = values.get("part")
    if part == "thread":
        return _("Part %(number)s") % {"number": values.get("number")}
    if part == "first_comment":
        return _("First comment")
    if part == "title":
        return _("Title")
    return _("Post")


def _megabytes(size: int) -> str:
    return plain_number(size / 1_000_000, 1)


def _text_too_long(v: dict[str, Any], network: str) -> str:
    return _("%(what)s is %(length)s characters; %(network)s allows %(limit)s.") % {
        "what": _part(v),
        "length": v["count"],
        "network": network,
        "limit": v["limit"],
    }


def _too_many_media(v: dict[str, Any], network: str) -> str:
    if not v["limit"]:
        return _("%(network)s takes no images or videos.") % {"network": network}
    return ngettext(
        "%(network)s takes at most %(count)s file.",
        "%(network)s takes at most %(count)s files.",
        v["limit"],
    ) % {"network": network, "count": v["limit"]}


def _media_too_large(v: dict[str, Any], network: str) -> str:
    return _("File %(number)s is %(size)s MB; %(network)s allows %(limit)s MB.") % {
        "number": v["number"],
        "size": _megabytes(v["size"]),
        "network": network,
        "limit": _megabytes(v["limit"]),
    }


def _video_length(v: dict[str, Any], network: str, *, too_long: bool) -> str:
    values = {
        "number": v["number"],
        "network": network,
        "length": duration_words(v["seconds"]),
        "limit": duration_words(v["limit"]),
    }
    if too_long:
        return (
            _("File %(number)s: this video is %(length)s; %(network)s takes at most %(limit)s.")
            % values
        )
    return (
        _("File %(number)s: this video is %(length)s; %(network)s needs at least %(limit)s.")
        % values
    )


def _video_aspect(v: dict[str, Any], network: str) -> str:
    return _(
        "File %(number)s: the video is %(width)s×%(height)s pixels; %(network)s "
        "takes a width-to-height ratio from %(narrowest)s to %(widest)s."
    ) % {
        "number": v["number"],
        "network": network,
        "width": v["width"],
        "height": v["height"],
        "narrowest": aspect_words(v["low"]),
        "widest": aspect_words(v["high"]),
    }


_PROBLEMS: dict[str, Callable[[dict[str, Any], str], str]] = {
    "empty": lambda _v, _n: _("There is nothing to post yet."),
    "text_too_long": _text_too_long,
    "too_many_media": _too_many_media,
    "video_not_alone": lambda _v, network: (
        _("On %(network)s a video goes alone: remove the other files, or the video.")
        % {"network": network}
    ),
    "media_type": lambda v, network: (
        _("File %(number)s: %(network)s does not take %(type)s files.")
        % {"number": v["number"], "network": network, "type": v["type"]}
    ),
    "media_too_large": _media_too_large,
    "alt_text_too_long": lambda v, _n: (
        _("File %(number)s: the description is longer than %(limit)s characters.")
        % {"number": v["number"], "limit": v["limit"]}
    ),
    "video_too_long": lambda v, network: _video_length(v, network, too_long=True),
    "video_too_short": lambda v, network: _video_length(v, network, too_long=False),
    "video_aspect": _video_aspect,
}


def problem_text(problem: Problem, *, network: str) -> str:
    """One problem as a sentence in the active language."""
    words = _PROBLEMS.get(problem.code)
    if words is None:  # a code added to checks.py without words here: the test catches it
        return str(problem)
    return words(problem.values, network)


def _by_kind(error: ConnectorError, network: str) -> str:
    if isinstance(error, AuthExpired):
        return _(
            "%(network)s no longer accepts Varde's sign-in for this channel. Reconnect the channel."
        ) % {"network": network}
    if isinstance(error, RateLimited):
        return _("%(network)s asks Varde to slow down (too many requests).") % {"network": network}
    if isinstance(error, Transient):
        return _("%(network)s could not be reached or had a server error.") % {"network": network}
    if isinstance(error, OutcomeUnknown):
        return _("%(network)s did not say whether the post arrived.") % {"network": network}
    return _("%(network)s refused the post.") % {"network": network}


def error_text(error: ConnectorError, *, network: str) -> str:
    """A connector's error in the active language, with the network's own text kept as the
    detail: limit problems as sentences, known codes and kinds of error in words."""
    if isinstance(error, Rejected) and error.problems:
        return " ".join(problem_text(p, network=network) for p in error.problems)
    code = error.code if isinstance(error, Rejected) else None
    words = REFUSAL_WORDS.get(code or "")
    said = words(network) if words else _by_kind(error, network)
    detail = error.message.strip()
    if not detail:
        return said
    return _("%(said)s (%(network)s said: %(detail)s)") % {
        "said": said,
        "network": network,
        "detail": detail,
    }


def problem_codes() -> frozenset[str]:
    """The codes this table has words for (the test compares them with ``checks.py``)."""
    return frozenset(_PROBLEMS)
