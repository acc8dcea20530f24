"""The composer's hashtag context: for each hashtag in the post being written, what listening
knows about it now (volume in the last 7 and 30 days, the trend against the period before,
sample posts), next to the rules check where the guard asks for the #Aurora check.

Called by the composer as the author types (debounced), with the whole composer form; reads
stored mentions only, never a network. A tag listening has no posts for says so and offers
a query for it, in one click (``listening:query_from_hashtag``).
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from varde.accounts.access import WorkspaceRequest, workspace_view
from varde.accounts.permissions import Perm, role_can
from varde.listening import selectors as listening_selectors
from varde.policy.draft import draft_from_form
from varde.policy.text import hashtags_in

MAX_TAGS = 5  # the first five hashtags of the post: the panel stays short while typing


def tags_of(texts: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for text in texts:
        for tag in hashtags_in(text):
            seen.setdefault(tag, None)
    return list(seen)[:MAX_TAGS]


@workspace_view(Perm.CONTENT_DRAFT)
@require_POST
def hashtag_context(request: WorkspaceRequest) -> HttpResponse:
    draft = draft_from_form(request.POST, workspace=request.workspace)
    texts = [draft.text, *draft.variants.values(), *draft.thread, draft.first_comment]
    trends = [
        listening_selectors.hashtag_trend(workspace=request.workspace, tag=tag)
        for tag in tags_of(texts)
    ]
    context = {
        "trends": trends,
        "can_listen": role_can(request.membership.role, Perm.LISTENING_EDIT),
    }
    return render(request, "content/_hashtag_context.html", context)
