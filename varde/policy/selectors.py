"""Reading what the guard needs that the plan does not hold."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from varde.accounts import selectors as account_selectors
from varde.content import selectors as content_selectors
from varde.lib.rowtext import rows_as_text
from varde.policy import hooks
from varde.policy.models import ConfirmedHashtag, GuardSettings
from varde.policy.text import hashtags_in, normal_tag
from varde.publishing.choices import DeliveryState

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.policy.findings import HashtagContext


def guard_settings_for(workspace: Workspace) -> GuardSettings:
    """The saved settings, or an unsaved row with the defaults."""
    found = GuardSettings.objects.filter(workspace=workspace).first()
    return found or GuardSettings(workspace=workspace)


def confirmed_hashtag_list(workspace: Workspace) -> QuerySet[ConfirmedHashtag]:
    return ConfirmedHashtag.objects.filter(workspace=workspace).select_related("confirmed_by")


def confirmed_tags(workspace: Workspace, tags: Iterable[str]) -> set[str]:
    wanted = {normal_tag(t) for t in tags}
    if not wanted:
        return set()
    return set(
        ConfirmedHashtag.objects.filter(workspace=workspace, tag__in=wanted).values_list(
            "tag", flat=True
        )
    )


def tags_published_before(
    workspace: Workspace, tags: Iterable[str], *, exclude_post_id: int | None = None
) -> set[str]:
    """Which of ``tags`` appear in a post of this workspace that was published somewhere.

    The database narrows by substring; the regex then keeps whole hashtags only, so #aurora
    is not taken as seen because #auroraborealis was.
    """
    found: set[str] = set()
    published = (
        content_selectors.posts_in(workspace=workspace)
        .filter(deliveries__state=DeliveryState.PUBLISHED)
        .distinct()
    )
    if exclude_post_id is not None:
        published = published.exclude(pk=exclude_post_id)
    for tag in {normal_tag(t) for t in tags}:
        needle = "#" + tag
        texts = list(published.filter(text__icontains=needle).values_list("text", flat=True)[:50])
        texts += list(
            content_selectors.variants_of_posts(published)
            .filter(text__icontains=needle)
            .values_list("text", flat=True)[:50]
        )
        if any(tag in hashtags_in(text) for text in texts):
            found.add(tag)
    return found


def member_names(workspace: Workspace) -> list[str]:
    return account_selectors.member_names(workspace=workspace)


def member_roles(workspace: Workspace) -> dict[int, str]:
    """Each member's role, by user id."""
    return account_selectors.member_roles(workspace=workspace)


def guard_rule_rows(workspace_id: int) -> list[QuerySet[Any]]:
    """What the guard reads from its settings and the members (``guard_settings_for``,
    ``member_roles``, ``member_names``), one text per row, as ``plan_rule_rows`` does for
    the plan. A field the guard starts to read must be added here."""
    return [
        rows_as_text(
            GuardSettings.objects.filter(workspace_id=workspace_id),
            "settings",
            *("id", "signature", "alt_text_required", "avoided_hashtag_blocks"),
            *("new_hashtag", "extra_disclosure_words"),
        ),
        rows_as_text(
            account_selectors.member_rows(workspace_id=workspace_id),
            "member",
            *("user_id", "role", "user__full_name"),
        ),
    ]


# --- Listening: what a hashtag is about right now ----------------------------------------------


def hashtag_context(workspace: Workspace, tag: str) -> HashtagContext | None:
    """Recent volume and sample posts for ``tag`` from the workspace's listening data.

    Listening sits above the guard in the layers, so it answers through the hook
    ``policy.hooks.hashtag_activity`` (registered in ``listening/policy_reactions.py``) from
    its stored mentions only: the composer asks on every pause in typing, so no network calls.
    None when no receiver answers (listening not installed): the finding then says nothing
    about volume, rather than a made-up zero.
    """
    for answer in hooks.hashtag_activity.call(workspace, tag):
        if answer is not None:
            return answer
    return None
