"""Small helpers for the calendar templates."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def optional_url(name: str, **kwargs: Any) -> str:
    """The URL of ``name``, or "" while the view does not exist (an app not merged yet)."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key, "")


@register.filter
def pair(first: Any, second: Any) -> tuple[Any, Any]:
    """Two values to loop over in a template: ``{% for x in a|pair:b %}``."""
    return (first, second)
