"""The sandbox network's page: what it received, labelled so nobody mistakes it for real."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from varde.accounts.access import WorkspaceRequest, workspace_view
from varde.accounts.permissions import Perm
from varde.sandbox import selectors


@workspace_view(Perm.CHANNELS_VIEW)
def received(request: WorkspaceRequest) -> HttpResponse:
    posts = selectors.sandbox_posts_of(workspace=request.workspace)
    accounts = selectors.sandbox_accounts_of(workspace=request.workspace)
    context = {
        "posts": [{"post": post, "channel": accounts.get(post.account)} for post in posts[:200]],
        "tally": selectors.sandbox_tally(posts),
        "duplicates": selectors.sandbox_duplicate_keys(posts),
        "faults": list(selectors.sandbox_faults_of(workspace=request.workspace)),
        "nav_active": "",
    }
    return render(request, "sandbox/received.html", context)
