"""The client's review page: reached by a token in the address, no account needed.

What it shows is limited to the posts of the link: their text per channel, planned time and
media, and the workspace's name. Nothing else of the workspace: no navigation, no other posts, no
member names. CSRF protection applies to its form as to any other; the token itself is long and
random (256 bits) and only its hash is stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from varde.accounts.access import public_view
from varde.approvals import selectors, services
from varde.approvals.forms import ClientDecisionForm
from varde.approvals.selectors import LinkState
from varde.content import selectors as content_selectors
from varde.content.choices import ApprovalState

if TYPE_CHECKING:
    from varde.approvals.models import ClientReviewLink

ResponseT = TypeVar("ResponseT", HttpResponse, FileResponse)


def _error_text(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _private(response: ResponseT) -> ResponseT:
    # The token is in the address: never send it on to another site, never cache or index it.
    # Not "no-referrer": browsers then send "Origin: null" with the form, and CSRF refuses it.
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _closed(request: HttpRequest, link: ClientReviewLink | None, state: str) -> HttpResponse:
    status = 404 if link is None else 410
    context = {"link": link, "state": state}
    return _private(render(request, "approvals/client_closed.html", context, status=status))


def _cards(link: ClientReviewLink, form: ClientDecisionForm | None) -> list[dict[str, Any]]:
    decided = selectors.client_link_decisions(link=link)
    # The client typed their name for the first post; spare them typing it for the next ones.
    known_name = next((d.client_name for d in decided.values()), "")
    cards = []
    for post in selectors.client_link_posts(link=link):
        bound = form if form is not None and form.data.get("post") == str(post.pk) else None
        cards.append(
            {
                "preview": selectors.post_preview(post=post),
                "decision": decided.get(post.pk),
                "open": post.approval_state == ApprovalState.IN_REVIEW and post.pk not in decided,
                "form": bound or ClientDecisionForm(initial={"post": post.pk, "name": known_name}),
            }
        )
    return cards


@public_view
def review(request: HttpRequest, token: str) -> HttpResponse:
    link = selectors.client_link_by_token(token)
    if link is None:
        return _closed(request, None, "invalid")
    # The client has no account and no language of their own here: the workspace's applies.
    with translation.override(link.workspace.language):
        return _review(request, link, token)


def _review(request: HttpRequest, link: ClientReviewLink, token: str) -> HttpResponse:
    state = selectors.client_link_state(link=link)
    if state in (LinkState.EXPIRED, LinkState.REVOKED):
        return _closed(request, link, state)
    form = None
    if request.method == "POST" and state == LinkState.OPEN:
        form = ClientDecisionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.client_link_decide(
                    link=link,
                    post_id=data["post"],
                    approve=data["decision"] == "approve",
                    client_name=data["name"],
                    comment=data["comment"],
                )
            except services.PolicyBlockedError as blocked:
                # The guard's reasons are in the workspace's language; the team is told too.
                services.client_link_tell_blocked(
                    link=link,
                    post_id=data["post"],
                    client_name=data["name"],
                    reasons=blocked.messages,
                )
                form.add_error(
                    None,
                    _(
                        "The team must fix something before this post can be approved, and "
                        "has been told: %(reasons)s"
                    )
                    % {"reasons": " ".join(blocked.messages)},
                )
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, _error_text(error))
            else:
                thanks = (
                    _("Thank you. The team can see that you approved it.")
                    if data["decision"] == "approve"
                    else _("Thank you. Your comment has gone to the team.")
                )
                messages.success(request, thanks)
                return _private(redirect("client_review:review", token=token))
    context = {
        "link": link,
        # Media of the link's posts are served under the link's own address.
        "media_base": reverse("client_review:review", args=[token]) + "media/",
        "state": selectors.client_link_state(link=link) if form is None else state,
        "cards": _cards(link, form),
        "workspace_name": link.workspace.name,
        "timezone": link.workspace.timezone,
    }
    return _private(render(request, "approvals/client_review.html", context))


@public_view
def media(request: HttpRequest, token: str, media_id: int) -> FileResponse:
    link = selectors.client_link_by_token(token)
    if link is None or selectors.client_link_state(link=link) in (
        LinkState.EXPIRED,
        LinkState.REVOKED,
    ):
        raise Http404
    post_ids = [post.pk for post in selectors.client_link_posts(link=link)]
    found = content_selectors.media_among_posts(media_id=media_id, post_ids=post_ids)
    if found is None:
        raise Http404
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=found.mime_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return _private(response)
