"""When the team answers: the workspace's business hours for the response clocks."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from varde.accounts.services import audit_record
from varde.inbox.models import BusinessHours

if TYPE_CHECKING:
    from decimal import Decimal

    from varde.accounts.models import User, Workspace


@transaction.atomic
def business_hours_save(
    *,
    workspace: Workspace,
    weekdays: list[int],
    opens: dt.time,
    closes: dt.time,
    skip_public_holidays: bool,
    actor: User,
    next_response_hours: Decimal | None = None,
    resolution_hours: Decimal | None = None,
) -> BusinessHours:
    """Save the hours; closing must come after opening, and at least one day must be open."""
    if not weekdays:
        raise ValidationError(_("Choose at least one day the team answers."))
    if closes <= opens:
        raise ValidationError(_("Closing time must be after opening time."))
    row, _created = BusinessHours.objects.update_or_create(
        workspace=workspace,
        defaults={
            "weekdays": sorted(set(weekdays)),
            "opens": opens,
            "closes": closes,
            "skip_public_holidays": skip_public_holidays,
            "next_response_hours": next_response_hours,
            "resolution_hours": resolution_hours,
        },
    )
    audit_record(
        action="inbox.business_hours_changed",
        workspace=workspace,
        actor=actor,
        detail={
            "days": sorted(set(weekdays)),
            "opens": opens.strftime("%H:%M"),
            "closes": closes.strftime("%H:%M"),
            "public_holidays_off": skip_public_holidays,
            "next_response_hours": str(next_response_hours) if next_response_hours else None,
            "resolution_hours": str(resolution_hours) if resolution_hours else None,
        },
    )
    return row
