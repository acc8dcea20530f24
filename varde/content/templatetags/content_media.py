"""Template filters for the media panel."""

from django import template

from varde.content.video_rules import duration_words

register = template.Library()


@register.filter
def video_length(seconds: float | None) -> str:
    """A video's length in the reader's language ("3 min 10 s"); empty when unknown."""
    return "" if seconds is None else duration_words(seconds)
