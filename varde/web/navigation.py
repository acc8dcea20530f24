"""The main areas of Varde, in the order the navigation shows them.

An area that is not built yet points at an honest page that says so; when an app is built, it
sets ``url_name`` to its own view.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from varde.accounts.permissions import Perm


@dataclass(frozen=True)
class Area:
    key: str
    label: str | Promise
    perm: Perm
    url_name: str
    # What the area will do, shown on its page until it is built.
    promise: str | Promise = ""
    built: bool = True


AREAS: tuple[Area, ...] = (
    Area(
        "strategy",
        _("Strategy"),
        Perm.STRATEGY_VIEW,
        "strategy:overview",
        _(
            "The seven-phase plan: situation, goals, audiences, channels and publishing plan, "
            "messages, roles and policy, and regular reviews."
        ),
        built=True,
    ),
    Area(
        "calendar",
        _("Calendar"),
        Perm.CONTENT_VIEW,
        "calendar:calendar",
        _("Plan, write and schedule posts for every channel, with the plan in view."),
    ),
    Area(
        "campaigns",
        _("Campaigns"),
        Perm.CONTENT_VIEW,
        "campaigns:list",
        _("One campaign everywhere: its posts on every channel, the blog and the newsletter."),
    ),
    Area(
        "publishing",
        _("Publishing"),
        Perm.CONTENT_VIEW,
        "publishing:overview",
        _("Every post on every channel: what is due, what went out, and what needs a hand."),
    ),
    Area(
        "channels",
        _("Channels"),
        Perm.CHANNELS_VIEW,
        "channels:list",
        _("The accounts Varde publishes to: their health, limits, and connecting new ones."),
    ),
    Area(
        "inbox",
        _("Inbox"),
        Perm.INBOX_VIEW,
        "inbox:list",
        _(
            "Comments, mentions and messages from your channels in one place: answer them as "
            "yourself, assign them and moderate by your rules. Criticism is never hidden."
        ),
    ),
    Area(
        "listening",
        _("Listening"),
        Perm.LISTENING_VIEW,
        "listening:stream",
        _(
            "What is said about you, your products and your competitors, "
            "with alerts on spikes and dips."
        ),
    ),
    Area(
        "leads",
        _("Leads"),
        Perm.LEADS_VIEW,
        "leads:board",
        _(
            "People who engaged, from prospect to lead to customer, tied to the campaign "
            "that won them."
        ),
    ),
    Area(
        "analytics",
        _("Analytics"),
        Perm.ANALYTICS_VIEW,
        "analytics:overview",
        _("Results per post, channel and campaign, measured against the goals in the plan."),
    ),
    Area(
        "settings",
        _("Settings"),
        Perm.SETTINGS_VIEW,
        "web:settings",
        _("Name, language and time zone; members and roles; the audit log; system health."),
    ),
)

AREAS_BY_KEY = {area.key: area for area in AREAS}


def area_url(area: Area, workspace_slug: str) -> str:
    if area.built:
        return reverse(area.url_name, kwargs={"workspace": workspace_slug})
    return reverse("web:area", kwargs={"workspace": workspace_slug, "area": area.key})
