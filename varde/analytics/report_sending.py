"""Sending reports: by the worker on a schedule (each period once), or now, as a test.

Every e-mail goes through the notifications app (``notify`` for members, in each one's
language and as each chose for the kind ``analytics.report``; ``mail_outside`` for the
addresses outside the workspace, in the schedule's language). The e-mail's text is the report's
key numbers; the PDF is attached.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from varde.accounts import selectors as account_selectors
from varde.accounts.services import audit_record
from varde.analytics import reports
from varde.analytics.choices import REPORT_NOTIFICATION_KIND
from varde.analytics.models import ReportSchedule
from varde.analytics.report_period import Period, last_complete
from varde.notifications import services as notifications
from varde.notifications.services import Attachment, language_of

if TYPE_CHECKING:
    from varde.accounts.models import User, Workspace

log = logging.getLogger(__name__)

NOTIFICATION_KIND = REPORT_NOTIFICATION_KIND
MAX_EXTERNAL = 20
SEND_FROM_HOUR = 7  # local time on the first day after the period


def clean_addresses(text: str | Sequence[str]) -> list[str]:
    """E-mail addresses from a list or from text (commas, semicolons, spaces or lines between
    them), each checked; ``ValidationError`` names the first bad one."""
    if isinstance(text, str):
        text = text.replace(";", " ").replace(",", " ").split()
    addresses = list(dict.fromkeys(a.strip().lower() for a in text if a.strip()))
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(
                _("“%(address)s” is not an e-mail address.") % {"address": address[:200]}
            ) from None
        if "\n" in address or "\r" in address:
            raise ValidationError(_("An e-mail address cannot span lines."))
    if len(addresses) > MAX_EXTERNAL:
        raise ValidationError(
            _("At most %(n)s addresses outside the workspace.") % {"n": MAX_EXTERNAL}
        )
    return addresses


@transaction.atomic
def schedule_create(
    *,
    workspace: Workspace,
    cadence: str,
    sections: Sequence[str],
    members: Sequence[User],
    external_emails: Sequence[str],
    colour: str,
    language: str,
    user: User | None,
) -> ReportSchedule:
    """A new schedule. Its first report is of the period in progress (the last whole one is
    marked as sent), so nobody gets an old report the hour it is made."""
    member_ids = account_selectors.member_user_ids(
        workspace=workspace, among=[m.pk for m in members]
    )
    schedule = ReportSchedule.objects.create(
        workspace=workspace,
        cadence=cadence,
        sections=reports.ordered_sections(sections),
        external_emails=clean_addresses(list(external_emails)),
        colour=colour,
        language=language,
        created_by=user,
        last_period=last_complete(cadence, local_today(workspace)).key,
    )
    schedule.members.set([m for m in members if m.pk in member_ids])
    audit_record(
        action="analytics.report_scheduled",
        workspace=workspace,
        actor=user,
        target=schedule,
        detail={
            "cadence": cadence,
            "members": len(member_ids),
            "addresses": schedule.external_emails,
        },
    )
    return schedule


@transaction.atomic
def schedule_delete(*, schedule: ReportSchedule, user: User | None) -> None:
    audit_record(
        action="analytics.report_unscheduled",
        workspace=schedule.workspace,
        actor=user,
        target=schedule,
        detail={"cadence": schedule.cadence},
    )
    schedule.delete()


def local_today(workspace: Workspace, now: dt.datetime | None = None) -> dt.date:
    return (now or timezone.now()).astimezone(ZoneInfo(workspace.timezone or "Europe/Oslo")).date()


@dataclass(frozen=True)
class Sent:
    period: Period
    members: int
    external: int
    seconds: float  # rendering, all languages together


@transaction.atomic
def report_send(*, schedule: ReportSchedule, period: Period, user: User | None = None) -> Sent:
    """Render the report in each recipient's language and e-mail it, PDF attached; recorded in
    the audit log (``user`` None: the worker)."""
    workspace = schedule.workspace
    by_language: dict[str, list[User]] = defaultdict(list)
    for member in schedule.members.all():
        by_language[language_of(member, workspace)].append(member)
    external_language = schedule.language or workspace.language
    languages = set(by_language) | ({external_language} if schedule.external_emails else set())
    rendered = {
        language: reports.render_report(
            workspace=workspace,
            period=period,
            sections=schedule.sections,
            language=language,
            colour=schedule.colour,
        )
        for language in sorted(languages)
    }
    members = 0
    for language, users in by_language.items():
        members += len(_notify(workspace, users, rendered[language], period))
    external = 0
    if schedule.external_emails:
        external = _mail_outside(
            workspace, schedule.external_emails, rendered[external_language], period
        )
    audit_record(
        action="analytics.report_sent",
        workspace=workspace,
        actor=user,
        target=schedule,
        detail={"period": period.key, "members": members, "addresses": schedule.external_emails},
    )
    return Sent(period, members, external, sum(r.seconds for r in rendered.values()))


def _subject(workspace: Workspace, result: reports.RenderedReport) -> str:
    return _("%(title)s for %(workspace)s: %(period)s") % {
        "title": result.report.title,
        "workspace": workspace.name,
        "period": result.report.period_label,
    }


def _attachment(workspace: Workspace, result: reports.RenderedReport, period: Period) -> Attachment:
    return Attachment(reports.report_filename(workspace, period), result.pdf)


def _notify(
    workspace: Workspace, users: list[User], result: reports.RenderedReport, period: Period
) -> list[User]:
    with translation.override(result.report.language):
        body = result.report.summary() + "\n" + _("The whole report is attached as a PDF.")
        notifications.notify(
            users=users,
            workspace=workspace,
            kind=NOTIFICATION_KIND,
            text=body,
            subject=_subject(workspace, result),
            attachments=[_attachment(workspace, result, period)],
        )
    return users


def _mail_outside(
    workspace: Workspace, addresses: list[str], result: reports.RenderedReport, period: Period
) -> int:
    with translation.override(result.report.language):
        body = (
            result.report.summary()
            + "\n"
            + _("The whole report is attached as a PDF. %(workspace)s sends it with Varde.")
            % {"workspace": workspace.name}
        )
        return notifications.mail_outside(
            addresses=addresses,
            subject=_subject(workspace, result),
            body=body,
            attachments=[_attachment(workspace, result, period)],
        )


def _due_period(schedule: ReportSchedule, now: dt.datetime) -> Period | None:
    zone = ZoneInfo(schedule.workspace.timezone or "Europe/Oslo")
    local = now.astimezone(zone)
    period = last_complete(schedule.cadence, local.date())
    if period.key == schedule.last_period:
        return None
    if local.date() == period.end + dt.timedelta(days=1) and local.hour < SEND_FROM_HOUR:
        return None
    return period


def reports_send_due(*, now: dt.datetime) -> list[Sent]:
    """Send every active schedule's last whole period that was not sent yet. A period is
    claimed by one conditional update before it is sent, so two workers never send it twice;
    a send that fails is logged and not retried (the next period comes)."""
    sent = []
    for schedule in ReportSchedule.objects.filter(active=True).select_related("workspace"):
        period = _due_period(schedule, now)
        if period is None:
            continue
        claimed = (
            ReportSchedule.objects.filter(pk=schedule.pk)
            .exclude(last_period=period.key)
            .update(last_period=period.key, last_sent_at=now)
        )
        if not claimed:
            continue
        try:
            sent.append(report_send(schedule=schedule, period=period))
        except Exception:
            log.exception("Could not send report schedule %s for %s", schedule.pk, period.key)
    return sent


def schedules_of(*, workspace: Workspace) -> list[ReportSchedule]:
    return list(ReportSchedule.objects.filter(workspace=workspace).prefetch_related("members"))


def schedule_get(*, workspace: Workspace, schedule_id: int) -> ReportSchedule | None:
    return ReportSchedule.objects.filter(workspace=workspace, pk=schedule_id).first()
