"""The kinds of notification, declared by the apps that send them.

Each app registers its kinds at start-up (``AppConfig.ready``), so the preferences page lists
exactly what Varde can tell people, in words, grouped by area, and ``notify`` refuses a kind
nobody declared (a typo would otherwise create a kind no one can switch off).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise

from varde.notifications.choices import Reach


@dataclass(frozen=True)
class Kind:
    key: str  # stored with each notification, e.g. "review.submitted"
    label: str | Promise  # what the preferences page calls it
    area: str | Promise  # the heading it is listed under
    default: Reach = Reach.BOTH
    # May also go to a signed webhook a workspace sets up (``notifications/webhooks.py``).
    webhook: bool = False


_KINDS: dict[str, Kind] = {}


class UnknownKindError(KeyError):
    """``notify`` was called with a kind no app declared."""


def register(*kinds: Kind) -> None:
    for kind in kinds:
        _KINDS[kind.key] = kind


def get(key: str) -> Kind:
    try:
        return _KINDS[key]
    except KeyError:
        raise UnknownKindError(key) from None


def webhook_kinds() -> list[Kind]:
    return [kind for kind in all_kinds() if kind.webhook]


def all_kinds() -> list[Kind]:
    """Every declared kind, by area and then in the order they were declared."""
    order = {key: index for index, key in enumerate(_KINDS)}
    return sorted(_KINDS.values(), key=lambda k: (str(k.area), order[k.key]))
