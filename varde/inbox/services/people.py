"""Who answers: each member's availability ("away until"), and round-robin assignment among
those available (docs/inbox.md, "Round-robin").

A rule's assign action may name several people: each new conversation it matches goes to the
next of them in turn (by user id), passing by whoever is away. The last one chosen is stored
per rule (``RoundRobinPointer``), so the turns stay fair across restarts; the pointer row is
locked while the next one is chosen (``select_for_update``), so two workers never give the
same turn twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from varde.accounts import selectors as account_selectors
from varde.inbox.models import Availability, ModerationRule, RoundRobinPointer

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace


def availability_set(
    *,
    workspace: Workspace,
    user: User,
    away_until: dt.datetime | None,
    now: dt.datetime | None = None,
) -> Availability:
    """Mark a member available (``away_until`` None) or away until a time in the future."""
    now = now or timezone.now()
    if away_until is not None and away_until <= now:
        raise ValidationError(_("Choose a time in the future to be away until."))
    if not account_selectors.is_member(user=user, workspace=workspace):
        raise ValidationError(_("Only a member of this workspace can be assigned."))
    row, _created = Availability.objects.update_or_create(
        workspace=workspace, user=user, defaults={"away_until": away_until}
    )
    return row


@transaction.atomic
def round_robin_next(
    *, rule: ModerationRule, user_ids: Sequence[int], now: dt.datetime | None = None
) -> User | None:
    """The next available member of ``user_ids`` after the rule's last one; None when all of
    them are away (or none is a member any more)."""
    now = now or timezone.now()
    members = {
        user.pk: user
        for user in account_selectors.member_users(workspace=rule.workspace).filter(
            pk__in=[int(pk) for pk in user_ids]
        )
    }
    away = set(
        Availability.objects.filter(
            workspace=rule.workspace, user_id__in=list(members), away_until__gt=now
        ).values_list("user_id", flat=True)
    )
    turns = sorted(pk for pk in members if pk not in away)
    if not turns:
        return None
    RoundRobinPointer.objects.get_or_create(rule=rule)
    pointer = RoundRobinPointer.objects.select_for_update().get(rule=rule)
    last = pointer.last_user_id
    chosen = next((pk for pk in turns if last is not None and pk > last), turns[0])
    pointer.last_user_id = chosen
    pointer.save(update_fields=["last_user_id", "updated_at"])
    return members[chosen]
