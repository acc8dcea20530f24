"""Access decorators: every view in Varde says who may open it.

* ``public_view`` — anyone (login page, health probe).
* ``user_view`` — any logged-in user; no workspace data.
* ``workspace_view(perm)`` — a member of the workspace in the URL holding ``perm``.
* ``installation_view`` — the owner of this installation (a superuser, made with
  ``varde createuser --superuser``), for settings that apply to every workspace (the networks'
  apps). Shown inside a workspace they belong to, so the page keeps the shell.

The decision is recorded on the view function (``varde_access``) so the role × URL test can find
views that forgot to decide. A non-member gets 404, as if the workspace did not exist, so slugs of
other clients do not leak; a member without the permission gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase

from varde.accounts import selectors
from varde.accounts.models import Membership, User, Workspace
from varde.accounts.permissions import Perm, role_can

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])


@dataclass(frozen=True)
class Access:
    kind: str  # "public" | "user" | "workspace" | "installation"
    perm: Perm | None = None


def _mark(view: Callable[..., Any], access: Access) -> None:
    view.varde_access = access  # type: ignore[attr-defined]


def access_of(view: Callable[..., Any]) -> Access | None:
    # Class-based views keep the decision on the class (see WorkspaceViewMixin).
    found = getattr(view, "varde_access", None)
    if found is None and hasattr(view, "view_class"):
        found = getattr(view.view_class, "varde_access", None)
    return found if isinstance(found, Access) else None


def public_view(view: ViewFunc) -> ViewFunc:
    _mark(view, Access("public"))
    return view


def user_view(view: ViewFunc) -> ViewFunc:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    _mark(wrapper, Access("user"))
    return wrapper  # type: ignore[return-value]


def workspace_view(perm: Perm) -> Callable[[ViewFunc], ViewFunc]:
    """Resolve ``workspace`` from the URL into ``request.workspace`` and check ``perm``."""

    def decorate(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            slug = kwargs.pop("workspace")
            membership = selectors.membership_for(user=request.user, workspace_slug=slug)
            if membership is None:
                raise Http404
            if not role_can(membership.role, perm):
                raise PermissionDenied
            request.workspace = membership.workspace  # type: ignore[attr-defined]
            request.membership = membership  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        _mark(wrapper, Access("workspace", perm))
        return wrapper  # type: ignore[return-value]

    return decorate


def is_installation_owner(user: Any) -> bool:
    """Whether ``user`` owns this installation of Varde: may change what applies to every
    workspace. A workspace's owner role does not make one (a client's owner is not the host's)."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_superuser", False))


def installation_view(view: ViewFunc) -> ViewFunc:
    """A member of the workspace in the URL (else 404, as ``workspace_view``) who owns this
    installation (else 403)."""

    @wraps(view)
    def owner_only(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_installation_owner(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper = workspace_view(Perm.WORKSPACE_VIEW)(owner_only)
    _mark(wrapper, Access("installation", Perm.WORKSPACE_VIEW))
    return wrapper  # type: ignore[return-value]


def request_user(request: HttpRequest) -> User:
    """The logged-in user of a request that ``user_view`` or ``workspace_view`` let through."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


class WorkspaceRequest(HttpRequest):
    """The request a ``workspace_view`` receives: the member and their workspace are resolved."""

    workspace: Workspace
    membership: Membership
    user: User
