"""What every page's shell needs: the workspace, the user's other workspaces, the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from varde.accounts import selectors
from varde.accounts.permissions import permissions_of
from varde.web.navigation import AREAS, area_url


def shell(request: HttpRequest) -> dict[str, Any]:
    workspace = getattr(request, "workspace", None)
    membership = getattr(request, "membership", None)
    if workspace is None or membership is None or not request.user.is_authenticated:
        return {}
    perms = permissions_of(membership.role)
    return {
        "workspace": workspace,
        "membership": membership,
        "perms_in_workspace": {str(perm) for perm in perms},
        "nav_areas": [
            {"key": area.key, "label": area.label, "url": area_url(area, workspace.slug)}
            for area in AREAS
            if area.perm in perms
        ],
        # Evaluated lazily by the template, only when the switcher is drawn.
        "workspace_memberships": lambda: list(selectors.memberships_of(user=request.user)),
    }
