"""Reading a CSV or XLSX file of posts and checking every row before anything is saved.

The person sees every problem with its row and column on a preview page; nothing is written
until the whole file is clean, and the rows are checked again when they confirm (a channel or a
campaign may have changed in between). Rows travel from the preview to the confirmation as
plain strings, never as saved objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import translation
from django.utils.translation import gettext as _

from varde.channels import selectors as channel_selectors
from varde.content import selectors as content_selectors
from varde.content.choices import MixCategory
from varde.lib import tables
from varde.lib.tables import TableError
from varde.lib.timeutil import utc_to_local
from varde.strategy.selectors import Pillar, pillars_for

if TYPE_CHECKING:
    from varde.accounts.models import Workspace
    from varde.channels.models import ConnectedAccount
    from varde.content.models import Campaign

MAX_ROWS = 2000
MAX_BYTES = 2 * 1024 * 1024
LINK_MAX = 1000

# The columns, in the order of the template file.
COLUMNS = ("text", "channels", "date", "time", "campaign", "pillar", "mix_category", "link", "paid")
REQUIRED = ("text", "channels", "date", "time")
# Headers people write, in English and Norwegian, after lower-casing and turning _ and - into
# spaces.
HEADER_ALIASES = {
    "text": "text",
    "tekst": "text",
    "channels": "channels",
    "channel": "channels",
    "kanaler": "channels",
    "kanal": "channels",
    "date": "date",
    "dato": "date",
    "time": "time",
    "tid": "time",
    "klokkeslett": "time",
    "campaign": "campaign",
    "kampanje": "campaign",
    "pillar": "pillar",
    "content pillar": "pillar",
    "innholdssøyle": "pillar",
    "søyle": "pillar",
    # Older Norwegian names, still read so files made before the glossary keep working.
    "innholdspilar": "pillar",
    "pilar": "pillar",
    "mix category": "mix_category",
    "kind of content": "mix_category",
    "type innhold": "mix_category",
    "innholdstype": "mix_category",
    "link": "link",
    "lenke": "link",
    "url": "link",
    "paid": "paid",
    "paid or sponsored": "paid",
    "betalt": "paid",
    "sponset": "paid",
}
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y")
TIME_FORMATS = ("%H:%M", "%H.%M", "%H:%M:%S", "%H")
YES = {"yes", "y", "ja", "j", "true", "1", "x", "paid", "betalt"}
NO = {"", "no", "n", "nei", "false", "0"}


# The file as a whole cannot be read (not a table, no header, a required column missing):
# the shared reader's error, so one ``except`` catches what either refuses.
ImportFileError = TableError


@dataclass(frozen=True)
class RawRow:
    number: int  # the row number in the spreadsheet; the header is row 1
    values: dict[str, str]
    # Filled cells beyond the header's columns: the row is shifted (an unquoted ";" in a file
    # that separates columns with ";"), so its values cannot be trusted.
    extra_cells: int = 0


@dataclass(frozen=True)
class Table:
    rows: list[RawRow]
    ignored_columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # a key of COLUMNS
    message: str

    @property
    def column_label(self) -> str:
        """The column as the template file names it (the file's own header may be Norwegian)."""
        return self.column


@dataclass(frozen=True)
class ValidRow:
    number: int
    text: str
    channels: tuple[ConnectedAccount, ...]
    local_at: dt.datetime  # naive, the workspace's wall clock
    campaign: Campaign | None
    pillar_id: int | None
    pillar_name: str
    mix_category: str
    link: str
    is_paid: bool


@dataclass
class ImportCheck:
    rows: list[ValidRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def errors_for(self, number: int) -> dict[str, str]:
        return {e.column: e.message for e in self.errors if e.row == number}


# --- reading the file ------------------------------------------------------------------------


def _header_key(header: str) -> str | None:
    normal = " ".join(header.strip().lower().replace("_", " ").replace("-", " ").split())
    return HEADER_ALIASES.get(normal)


def read_table(*, name: str, data: bytes) -> Table:
    """The rows of an uploaded CSV or XLSX file, keyed by column, with their row numbers.
    Reading (encodings, separators, line ends, the size, row and cell caps) is
    ``varde.lib.tables``'s, the same for every import."""
    rows = tables.read_rows(name=name, data=data, max_rows=MAX_ROWS, max_bytes=MAX_BYTES)
    if not rows:
        raise ImportFileError(_("The file is empty. Start from the template file."))
    header, body = rows[0], rows[1:]
    keys = [_header_key(h) for h in header.cells]
    _require_columns(keys)
    ignored = tuple(h for h, k in zip(header.cells, keys, strict=True) if k is None and h.strip())
    if not body:
        raise ImportFileError(_("The file has column names but no posts."))
    return Table([_raw_row(row.number, row.cells, keys) for row in body], ignored)


def _require_columns(keys: list[str | None]) -> None:
    missing = [c for c in REQUIRED if c not in keys]
    if missing:
        raise ImportFileError(
            _(
                "The first row must name the columns. Missing: %(missing)s. "
                "Start from the template file."
            )
            % {"missing": ", ".join(missing)}
        )


def _raw_row(number: int, row: list[str], keys: list[str | None]) -> RawRow:
    values = dict.fromkeys(COLUMNS, "")
    for key, value in zip(keys, row, strict=False):
        if key is not None:
            values[key] = value.strip()
    # Cells right of the last named column: counted, so the preview can say they were left out.
    extra = sum(1 for value in row[len(keys) :] if value.strip())
    return RawRow(number, values, extra)


# --- checking the rows -----------------------------------------------------------------------


def _parse(value: str, formats: Iterable[str]) -> dt.datetime | None:
    for pattern in formats:
        try:
            return dt.datetime.strptime(value, pattern)  # noqa: DTZ007 - local wall clock
        except ValueError:
            continue
    return None


def _normal(name: str) -> str:
    return " ".join(name.strip().lstrip("@").lower().split())


def _mix_names() -> dict[str, str]:
    names = {}
    for category in MixCategory:
        names[_normal(category.value)] = category.value
        for language in ("en", "nb"):
            with translation.override(language):
                names[_normal(str(category.label))] = category.value
    return names


class _Lookups:
    """What the rows refer to, read once per check."""

    def __init__(self, workspace: Workspace) -> None:
        self.channels: dict[str, ConnectedAccount] = {}
        accounts = list(channel_selectors.channels_in(workspace=workspace).order_by("id"))
        for account in accounts:
            for name in (account.handle, account.label):
                if name.strip():
                    self.channels.setdefault(_normal(name), account)
        self.channel_names = ", ".join(a.label for a in accounts)
        self.campaigns: dict[str, Campaign] = {}
        for campaign in content_selectors.campaigns_of(workspace=workspace).order_by("id"):
            self.campaigns.setdefault(_normal(campaign.name), campaign)
        self.pillars: dict[str, Pillar] = {}
        for pillar in pillars_for(workspace):
            self.pillars.setdefault(_normal(pillar.name), pillar)
        self.mix = _mix_names()


ErrorSink = Callable[[str, str], None]


def _check_channels(value: str, found: _Lookups, error: ErrorSink) -> list[ConnectedAccount]:
    channels: list[ConnectedAccount] = []
    # ";" as the template says, or "," (what people type in a file that uses ";" between columns).
    names = [n for n in value.replace(",", ";").split(";") if n.strip()]
    if not names:
        error("channels", _("Name at least one channel. Separate several with ; or ,"))
    for name in names:
        account = found.channels.get(_normal(name))
        if account is None:
            error(
                "channels",
                _("There is no channel called “%(name)s”. Channels here: %(known)s.")
                % {"name": name.strip(), "known": found.channel_names or _("none connected")},
            )
        elif account not in channels:
            channels.append(account)
    return channels


def _check_when(
    values: dict[str, str], local_now: dt.datetime, error: ErrorSink
) -> dt.datetime | None:
    date = _parse(values["date"], DATE_FORMATS) if values["date"] else None
    if date is None:
        error("date", _("Write the date as 2026-03-31 or 31.03.2026."))
    time = _parse(values["time"], TIME_FORMATS) if values["time"] else None
    if time is None:
        error("time", _("Write the time as 14:30 (24-hour clock)."))
    if date is None or time is None:
        return None
    local_at = dt.datetime.combine(date.date(), time.time())
    if local_at <= local_now:
        error("date", _("This date and time have already passed. Pick a time in the future."))
    return local_at


def _check_tags(
    values: dict[str, str], found: _Lookups, error: ErrorSink
) -> tuple[Campaign | None, Pillar | None, str]:
    campaign = None
    if values["campaign"]:
        campaign = found.campaigns.get(_normal(values["campaign"]))
        if campaign is None:
            error(
                "campaign",
                _("There is no campaign called “%(name)s”. Create it first, or leave it empty.")
                % {"name": values["campaign"]},
            )
    pillar = None
    if values["pillar"]:
        pillar = found.pillars.get(_normal(values["pillar"]))
        if pillar is None:
            error(
                "pillar",
                _("The plan has no content pillar called “%(name)s”.") % {"name": values["pillar"]},
            )
    mix_category = ""
    if values["mix_category"]:
        mix_category = found.mix.get(_normal(values["mix_category"]), "")
        if not mix_category:
            error("mix_category", _("Write promotional, curated or engagement, or leave it empty."))
    return campaign, pillar, mix_category


def _check_link(value: str, error: ErrorSink) -> str:
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            error("link", _("Write a whole web address starting with https://"))
        else:
            if len(value) > LINK_MAX:
                error("link", _("The link is too long (at most 1,000 characters)."))
    return value


def _check_row(
    raw: RawRow, found: _Lookups, local_now: dt.datetime, errors: list[RowError]
) -> ValidRow | None:
    values = raw.values
    row_errors: list[RowError] = []

    def error(column: str, message: str) -> None:
        row_errors.append(RowError(raw.number, column, message))

    if raw.extra_cells:
        error(
            "",
            _(
                "This row has more cells than the first row has column names, so its values "
                "are in the wrong columns. If columns are separated with ;, separate the "
                "channels with , (or put them in quotes)."
            ),
        )
        errors.extend(row_errors)
        return None

    text = values["text"]
    if not text:
        error("text", _("The text is empty. Write the post, or delete the row."))
    channels = _check_channels(values["channels"], found, error)
    local_at = _check_when(values, local_now, error)
    campaign, pillar, mix_category = _check_tags(values, found, error)
    link = _check_link(values["link"], error)
    paid_text = values["paid"].lower()
    if paid_text not in YES | NO:
        error("paid", _("Write yes or no (or leave it empty for no)."))

    errors.extend(row_errors)
    if row_errors or local_at is None:
        return None
    return ValidRow(
        number=raw.number,
        text=text,
        channels=tuple(channels),
        local_at=local_at,
        campaign=campaign,
        pillar_id=pillar.id if pillar else None,
        pillar_name=pillar.name if pillar else "",
        mix_category=mix_category,
        link=link,
        is_paid=paid_text in YES,
    )


def check_rows(*, workspace: Workspace, rows: list[RawRow], now: dt.datetime) -> ImportCheck:
    """Every row checked; every problem kept with its row and column."""
    found = _Lookups(workspace)
    local_now = utc_to_local(now, workspace.timezone).replace(tzinfo=None)
    check = ImportCheck()
    for raw in rows:
        valid = _check_row(raw, found, local_now, check.errors)
        if valid is not None:
            check.rows.append(valid)
    return check


# --- the template file -----------------------------------------------------------------------


def template_rows(channel_names: list[str]) -> list[list[str]]:
    """The template's header and two example rows, using this workspace's channel names."""
    first = channel_names[0] if channel_names else "Facebook"
    both = "; ".join(channel_names[:2]) if len(channel_names) > 1 else first
    return [
        list(COLUMNS),
        [
            "Ny sykkelsesong! Kom innom butikken for service.",
            both,
            "2030-04-07",
            "09:00",
            "",
            "",
            "promotional",
            "https://example.com/service",
            "no",
        ],
        [
            "Hva er din favoritttur i Bergen? Fortell oss!",
            first,
            "2030-04-09",
            "14:30",
            "",
            "",
            "engagement",
            "",
            "no",
        ],
    ]
