"""Every GET page of the project, with real ids of the filled workspace in its URL.

The routes come from the URL resolver (``walk`` of the access test), so a view added later is
visited too. An ``<int:…_id>`` parameter is tried with the ids of the models whose name holds
the parameter's stem (``list_id`` → ``SubscriberList``), then of the view's own app; other
parameters with the values of a model field of the same name, or :data:`PARAM_VALUES`. The first
address that answers 200 with HTML is the page; a route no address reaches is reported, so the
table below learns about a new kind of parameter instead of the route being skipped silently.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.urls import get_resolver, resolve, reverse
from django.utils import timezone

from tests.security.fill import project_models, rows_of
from varde.accounts.tests.test_access import PARAM, Route, walk

MAX_TRIES_PER_ROUTE = 60
IDS_PER_MODEL = 3


def _strategy_kinds(workspace: Any) -> list[str]:
    from varde.strategy.kinds import KINDS

    return list(KINDS)


def _areas(workspace: Any) -> list[str]:
    from varde.web.navigation import AREAS

    return [area.key for area in AREAS]


def _networks(workspace: Any) -> list[str]:
    from varde.channels import selectors

    return [choice.key for choice in selectors.network_choices()]


def _signup_tokens(workspace: Any) -> list[str]:
    from varde.newsletter.models import SubscriberList

    return list(SubscriberList.objects.values_list("signup_token", flat=True)[:2])


def _analytics_tables(workspace: Any) -> list[str]:
    from varde.analytics import exports

    return list(exports.TABLES)


def _network_apps(workspace: Any) -> list[str]:
    """The app keys of the networks people sign in on; the filled ``NetworkApp`` row becomes
    the first one's, so its pages (the remove confirmation) have an app to show."""
    from varde.channels import network_apps
    from varde.channels.models import NetworkApp

    keys = list(network_apps.apps_in_use())
    row = NetworkApp.objects.order_by("pk").first()
    if keys and row is not None and not NetworkApp.objects.filter(app=keys[0]).exists():
        NetworkApp.objects.filter(pk=row.pk).update(app=keys[0])
    return keys


def _webhook_kinds(workspace: Any) -> list[str]:
    from varde.notifications import kinds

    return [kind.key for kind in kinds.webhook_kinds()]


# Parameters whose values no model field of the same name holds.
PARAM_VALUES: dict[str, Callable[[Any], list[str]]] = {
    "kind": _strategy_kinds,
    "area": _areas,
    "network": _networks,
    "fmt": lambda workspace: ["html"],
    "token": _signup_tokens,
    "table": _analytics_tables,
    "app": _network_apps,
    "notification_kind": _webhook_kinds,
}


# --- routes whose address no stored value gives ------------------------------------------------
# A token made when the link is made, of which only a hash or a signature is kept: the address
# is minted here through the app's own code, the way the link in the mail or on screen is.


def _invitation(workspace: Any, owner: Any) -> str | None:
    from varde.accounts import services
    from varde.accounts.models import Invitation

    token = "corpus-invitation-token"
    Invitation.objects.filter(workspace=workspace).update(
        token_hash=services._token_hash(token),
        expires_at=timezone.now() + datetime.timedelta(days=1),
        accepted_at=None,
    )
    return reverse("accounts:invitation_accept", args=[token])


def _password_reset(workspace: Any, owner: Any) -> str | None:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(owner.pk))
    token = default_token_generator.make_token(owner)
    return reverse("accounts:password_reset_confirm", args=[uid, token])


def _client_review_link(workspace: Any, owner: Any) -> tuple[str, Any] | None:
    from varde.approvals.links import client_link_create
    from varde.content.choices import ApprovalState
    from varde.content.models import Post, PostMedia

    media = PostMedia.objects.filter(post__workspace=workspace).select_related("post").first()
    if media is None:
        return None
    Post.objects.filter(pk=media.post_id).update(approval_state=ApprovalState.IN_REVIEW)
    media.post.refresh_from_db()
    _link, token = client_link_create(workspace=workspace, posts=[media.post], actor=owner)
    return token, media


def _client_review(workspace: Any, owner: Any) -> str | None:
    made = _client_review_link(workspace, owner)
    return reverse("client_review:review", args=[made[0]]) if made else None


def _client_review_media(workspace: Any, owner: Any) -> str | None:
    made = _client_review_link(workspace, owner)
    return reverse("client_review:media", args=[made[0], made[1].pk]) if made else None


def _public_media(workspace: Any, owner: Any) -> str | None:
    from varde.content import public_media
    from varde.content.models import PostMedia

    media = PostMedia.objects.filter(post__workspace=workspace).first()
    if media is None:
        return None
    PostMedia.objects.filter(pk=media.pk).update(mime_type="image/png")  # a picture, not a row
    token = public_media._signer().sign(str(media.pk))
    return reverse("public_media:file", args=[token, public_media._file_name(media)])


def _source_add(workspace: Any, owner: Any) -> str | None:
    return reverse("listening:source_add", args=[workspace.slug]) + "?kind=rss"


def _calendar_move(workspace: Any, owner: Any) -> str | None:
    """The move page a post's "Move" links to without JavaScript: the post's text is on it."""
    from varde.content.models import Post

    post = Post.objects.filter(workspace=workspace).first()
    if post is None:
        return None
    address = reverse("calendar:move", kwargs={"workspace": workspace.slug})
    return f"{address}?post={post.pk}&from_at=2030-03-18T11:00"


ADDRESSES: dict[str, Callable[[Any, Any], str | None]] = {
    "accounts:invitation_accept": _invitation,
    "accounts:password_reset_confirm": _password_reset,
    "client_review:review": _client_review,
    "client_review:media": _client_review_media,
    "public_media:file": _public_media,
    "listening:source_add": _source_add,
    "calendar:move": _calendar_move,
}
# Routes with no page to show from stored data, and why.
NOT_WALKED = {
    "channels:pick": "the account choice a network's sign-in just left in the session",
    "atproto_client_metadata": "JSON for Bluesky's OAuth, served only at a public https address",
}


@dataclass
class Walked:
    pages: list[tuple[str, str]] = field(default_factory=list)  # (route name, url)
    # The answer each page gave the walk, so Chromium can be shown it without rendering twice.
    answers: dict[str, Any] = field(default_factory=dict)
    post_only: list[str] = field(default_factory=list)
    not_html: list[str] = field(default_factory=list)
    unreached: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _app_of(route: Route) -> str:
    module = resolve(route.url("x")).func.__module__
    return module.split(".")[1] if module.startswith("varde.") else ""


def _ids(model: type[models.Model], workspace: Any) -> list[str]:
    found = rows_of(model, workspace).order_by("pk").values_list("pk", flat=True)
    return [str(pk) for pk in found[:IDS_PER_MODEL]]


def _id_candidates(name: str, app: str, workspace: Any) -> list[str]:
    stem = name.removesuffix("_id").replace("_", "")
    everything = project_models()
    named = [m for m in everything if stem != "pk" and stem in m._meta.model_name]
    own_app = [m for m in everything if m._meta.app_label == app and m not in named]
    chosen = named + own_app or everything
    ordered = dict.fromkeys(pk for model in chosen for pk in _ids(model, workspace))
    return list(ordered)


def _field_values(name: str, workspace: Any) -> list[str]:
    values: list[str] = []
    for model in project_models():
        if name in {f.name for f in model._meta.concrete_fields}:
            values += [str(v) for v in rows_of(model, workspace).values_list(name, flat=True)[:2]]
    return values


def _candidates(name: str, converter: str, app: str, workspace: Any) -> list[str]:
    if name == "workspace":
        return [workspace.slug]
    if name in PARAM_VALUES:
        return PARAM_VALUES[name](workspace)
    if converter == "int" and (name.endswith("_id") or name == "pk"):
        return _id_candidates(name, app, workspace)
    if converter == "int":
        return ["1", "2", "3"]
    return _field_values(name, workspace)


def addresses(route: Route, workspace: Any) -> Iterator[str]:
    """Addresses for the route, best guesses first."""
    params = [(m["name"], m["converter"] or "str") for m in PARAM.finditer(route.template)]
    app = _app_of(route)
    choices = [_candidates(name, conv, app, workspace) for name, conv in params]
    for combination in itertools.islice(itertools.product(*choices), MAX_TRIES_PER_ROUTE):
        values = dict(zip([name for name, _ in params], combination, strict=True))
        yield "/" + PARAM.sub(lambda m, chosen=values: chosen[m["name"]], route.template)


def _classify(client: Any, route: Route, workspace: Any, owner: Any, walked: Walked) -> None:
    if route.name in NOT_WALKED:
        return
    if route.name in ADDRESSES:
        minted = ADDRESSES[route.name](workspace, owner)
        tried: Iterator[str] = iter([minted] if minted else [])
    else:
        tried = addresses(route, workspace)
    for url in tried:
        response = client.get(url)
        status = response.status_code
        if status == 404:
            continue
        if status == 405:
            walked.post_only.append(route.name)
        elif status >= 500:
            walked.errors.append(f"GET {url}: HTTP {status}")
        elif status == 200 and response.get("Content-Type", "").startswith("text/html"):
            walked.pages.append((route.name, url))
            walked.answers[url] = response
        else:
            walked.not_html.append(f"{route.name} ({status})")
        return
    walked.unreached.append(route.name)


def walk_pages(client: Any, workspace: Any, owner: Any) -> Walked:
    """Every route, GET through the test client as ``owner``, sorted into pages to render and
    the rest."""
    walked = Walked()
    for route in walk(get_resolver().url_patterns):
        client.force_login(owner)  # a page that logs out must not end the walk
        _classify(client, route, workspace, owner, walked)
    client.force_login(owner)
    return walked
