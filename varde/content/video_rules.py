"""The composer's checks of a video against a network's documented length and shape.

The numbers come from the connector's ``Limits`` (each with its source next to it); the length
and displayed size were read from the file's headers when it was uploaded
(``content/video``). A value the file did not state is not guessed: the author gets a note
that it could not be checked instead.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.formats import number_format
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from varde.connectors.contracts import Limits


def _number(value: float) -> str:
    # In the reader's language: "0.5" in English, "0,5" in Norwegian.
    return number_format(Decimal(f"{round(value, 2):g}"))


def duration_words(seconds: float) -> str:
    """A length as people say it: "45 s", "3 min 10 s", "1 h 5 min"."""
    tenths = round(seconds * 10)
    hours, rest = divmod(tenths, 36_000)
    minutes, tenths = divmod(rest, 600)
    parts = []
    if hours:
        parts.append(_("%(hours)s h") % {"hours": hours})
    if minutes:
        parts.append(_("%(minutes)s min") % {"minutes": minutes})
    if tenths or not parts:
        parts.append(_("%(seconds)s s") % {"seconds": _number(tenths / 10)})
    return " ".join(parts)


def aspect_words(aspect: float) -> str:
    """A width-to-height ratio as the networks write it: "1:3", "2.4:1"."""
    return f"1:{_number(1 / aspect)}" if aspect < 1 else f"{_number(aspect)}:1"


def video_notes(*, number: int, duration: float | None, limits: Limits, network: str) -> list[str]:
    """What the author should know but Varde cannot decide."""
    has_length_rule = limits.max_video_seconds is not None or limits.min_video_seconds is not None
    if duration is None and has_length_rule:
        return [
            _(
                "File %(number)s: the video file does not say how long it is, so Varde cannot "
                "check it against %(network)s's length limits."
            )
            % {"number": number, "network": network}
        ]
    basic = limits.max_video_seconds_basic
    if duration is not None and basic is not None and duration > basic:
        return [
            _(
                "File %(number)s: this video is %(length)s; %(network)s takes videos longer "
                "than %(limit)s only from some accounts (verified or paid). Check that this "
                "account can post it."
            )
            % {
                "number": number,
                "network": network,
                "length": duration_words(duration),
                "limit": duration_words(basic),
            }
        ]
    return []
