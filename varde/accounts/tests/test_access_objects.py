"""Every URL that names an object, asked for another workspace's object, as every role.

The routes come from the resolver (``test_access.walk``), and the object each URL parameter
names is made in a second workspace by ``OBJECT_MAKERS``, keyed by the parameter's name. So a
new view whose parameters are already known is covered the day it is added; a view with a new
parameter name fails ``test_every_object_parameter_is_known`` until its maker (or its reason to
be exempt) is written here.

What must hold: the object is never shown or changed. Members whose role may use the view get
404 (the object does not exist in their workspace); members whose role may not get 403 before
any lookup (405 where a view takes only the other method); after every GET and POST the other
workspace's rows are as they were.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from itertools import count
from typing import Any

import pytest
from django.db import models
from django.forms.models import model_to_dict
from django.utils import timezone

from varde.accounts.models import Invitation, Membership, Workspace
from varde.accounts.permissions import role_can
from varde.accounts.roles import Role
from varde.accounts.tests.factories import WorkspaceFactory, member
from varde.accounts.tests.test_access import PARAM, WORKSPACE_ROUTES, Route
from varde.analytics.models import ControlReview, ReportSchedule, ReviewProposal
from varde.approvals.models import ClientReviewLink
from varde.channels.models import ConnectedAccount
from varde.content.models import Campaign, Post, PostMedia
from varde.inbox.models import (
    AuthorEntry,
    Conversation,
    InboxItem,
    ModerationAction,
    ModerationRule,
    ReplyProposal,
    SavedView,
)
from varde.leads.models import Lead
from varde.listening.models import ListeningQuery, Mention, Source
from varde.newsletter.models import Subscriber, SubscriberList
from varde.publishing.models import Delivery
from varde.strategy.kinds import KINDS
from varde.strategy.models import SocialGoal

_unique = count(1)


def fill(model: type[models.Model], **given: Any) -> models.Model:
    """One row of ``model`` with ``given`` values and plain values for the other required fields.

    Choice fields take their first choice, so the row is valid whatever the choices are."""
    values = dict(given)
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in values or field.attname in values:
            continue
        if field.null or field.has_default() or getattr(field, "auto_now_add", False):
            continue
        if getattr(field, "auto_now", False):
            continue
        values[field.name] = _plain_value(field)
    return model.objects.create(**values)


def _plain_value(field: models.Field) -> Any:  # noqa: PLR0911 - one answer per field type
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return timezone.localdate()
    if isinstance(field, models.FileField):
        return f"elsewhere/file-{next(_unique)}.png"
    if isinstance(field, models.EmailField):
        return f"someone{next(_unique)}@example.com"
    if isinstance(field, (models.IntegerField, models.FloatField, models.DecimalField)):
        return 1
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, (models.CharField, models.TextField)):
        return f"elsewhere-{next(_unique)}"[: field.max_length or 64]
    raise AssertionError(f"add a plain value for {field!r} to _plain_value")


class Elsewhere:
    """The other workspace and its objects, made on first use."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.owner = member(workspace, Role.OWNER)
        self.made: dict[str, models.Model] = {}

    def one(self, name: str, make: Callable[[Elsewhere], models.Model]) -> models.Model:
        if name not in self.made:
            self.made[name] = make(self)
        return self.made[name]

    def row(self, model: type[models.Model], **given: Any) -> models.Model:
        return fill(model, workspace=self.workspace, **given)

    def post(self) -> models.Model:
        return self.one("post", lambda e: e.row(Post, author=e.owner, text="Elsewhere's post"))

    def channel(self) -> models.Model:
        return self.one("channel", lambda e: e.row(ConnectedAccount, connector_key="sandbox"))

    def conversation(self) -> models.Model:
        return self.one("conversation", lambda e: e.row(Conversation))

    def item(self) -> models.Model:
        return self.one("item", lambda e: e.row(InboxItem, conversation=e.conversation()))

    def subscriber_list(self) -> models.Model:
        return self.one("list", lambda e: e.row(SubscriberList, channel=e.channel()))

    def source(self) -> models.Model:
        return self.one("source", lambda e: e.row(Source))

    def control_review(self) -> models.Model:
        return self.one("review", lambda e: e.row(ControlReview))


OBJECT_MAKERS: dict[str, Callable[[Elsewhere], models.Model]] = {
    "post_id": Elsewhere.post,
    "channel_id": Elsewhere.channel,
    "conversation_id": Elsewhere.conversation,
    "item_id": Elsewhere.item,
    "list_id": Elsewhere.subscriber_list,
    "source_id": Elsewhere.source,
    "campaign_id": lambda e: e.row(Campaign),
    "delivery_id": lambda e: e.row(Delivery, post=e.post(), channel=e.channel()),
    "media_id": lambda e: fill(PostMedia, post=e.post()),
    "entry_id": lambda e: e.row(AuthorEntry),
    "goal_id": lambda e: e.row(SocialGoal),
    "invitation_id": lambda e: e.row(Invitation, expires_at=timezone.now() + timedelta(days=3)),
    "membership_id": lambda e: Membership.objects.get(workspace=e.workspace, user=e.owner),
    "lead_id": lambda e: e.row(Lead),
    "link_id": lambda e: e.row(ClientReviewLink, expires_at=timezone.now() + timedelta(days=3)),
    "mention_id": lambda e: e.row(Mention),
    "query_id": lambda e: e.row(ListeningQuery, text="elsewhere"),
    "rule_id": lambda e: e.row(ModerationRule),
    "subscriber_id": lambda e: e.row(Subscriber, subscriber_list=e.subscriber_list()),
    "view_id": lambda e: e.row(SavedView, user=e.owner),
    "action_id": lambda e: e.row(ModerationAction, item=e.item()),
    "proposal_id": lambda e: e.row(ReplyProposal, conversation=e.conversation()),
    "review_id": Elsewhere.control_review,
    "review_proposal_id": lambda e: fill(ReviewProposal, review=e.control_review()),
    "schedule_id": lambda e: e.row(ReportSchedule, cadence="monthly"),
}

# Parameters that name no object of a workspace, with the reason.
NOT_OBJECTS = {
    "workspace": "the workspace itself: test_access.py covers members of another workspace",
    "number": "a phase (1-7) or a plan version's number, counted within each workspace",
    "kind": "a kind of plan item; the item is `pk`, made per kind below",
    "pk": "a plan item, made per kind from strategy.kinds.KINDS",
    "area": "a fixed area name of the dashboard",
    "network": "a network's key",
    "fmt": "an export format",
    "table": "the name of an Analytics table to export",
    "pick_id": "a choice kept in the user's own session, never stored in a workspace",
    "notification_kind": "a declared kind of notification; its webhook is found per workspace",
}


def _params(route: Route) -> list[str]:
    return [match["name"] for match in PARAM.finditer(route.template)]


OBJECT_ROUTES = [
    route
    for route in WORKSPACE_ROUTES
    if any(name in OBJECT_MAKERS or name == "pk" for name in _params(route))
]


def test_every_object_parameter_is_known():
    unknown = {
        name
        for route in WORKSPACE_ROUTES
        for name in _params(route)
        if name not in OBJECT_MAKERS and name not in NOT_OBJECTS
    }
    assert unknown == set(), f"say in OBJECT_MAKERS how to make the object each names: {unknown}"


def _urls_for(route: Route, home: Workspace, elsewhere: Elsewhere) -> list[tuple[str, list]]:
    """The route's URLs in the home workspace, each naming objects of the other workspace."""
    if "kind" in _params(route):
        return [_kind_url(route, home, elsewhere, key) for key in KINDS]
    objects: list[models.Model] = []

    def fill_param(match: re.Match[str]) -> str:
        name = match["name"]
        if name == "workspace":
            return home.slug
        if name in OBJECT_MAKERS:
            made = OBJECT_MAKERS[name](elsewhere)
            objects.append(made)
            return str(made.pk)
        return "1" if match["converter"] == "int" else "placeholder"

    return [("/" + PARAM.sub(fill_param, route.template), objects)]


def _kind_url(route: Route, home: Workspace, elsewhere: Elsewhere, key: str) -> tuple[str, list]:
    item = elsewhere.one(f"plan-{KINDS[key].model.__name__}", lambda e: e.row(KINDS[key].model))
    values = {"workspace": home.slug, "kind": key, "pk": str(item.pk)}
    return "/" + PARAM.sub(lambda m: values[m["name"]], route.template), [item]


def _snapshot(objects: list[models.Model]) -> list[dict[str, Any] | None]:
    snap = []
    for obj in objects:
        fresh = type(obj).objects.filter(pk=obj.pk).first()
        snap.append(None if fresh is None else model_to_dict(fresh))
    return snap


@pytest.fixture
def homes(db):
    home = WorkspaceFactory(slug="home")
    users = {role: member(home, role) for role in Role}
    return home, users, Elsewhere(WorkspaceFactory(slug="elsewhere"))


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=lambda r: r.name)
def test_another_workspaces_object_is_never_reached(route, homes, client):
    home, users, elsewhere = homes
    assert route.access is not None
    assert route.access.perm is not None
    for url, objects in _urls_for(route, home, elsewhere):
        before = _snapshot(objects)
        for method in ("GET", "POST"):
            for role, user in users.items():
                client.force_login(user)
                response = client.get(url) if method == "GET" else client.post(url, {})
                expected = 404 if role_can(role, route.access.perm) else 403
                # 405: the view takes only the other method, and says nothing of the object.
                assert response.status_code in (expected, 405), (
                    f"{method} {url} (objects of another workspace) as {role} gave "
                    f"{response.status_code}, expected {expected}"
                )
        assert _snapshot(objects) == before, f"{url} changed another workspace's object"
