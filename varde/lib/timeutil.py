"""Times as people enter them (workspace wall clock) and as Varde stores them (UTC)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def local_to_utc(local: datetime, zone_name: str) -> datetime:
    """The UTC instant of a wall-clock time in ``zone_name``.

    09:00 in Europe/Oslo is 08:00 UTC in winter and 07:00 UTC in summer; converting each date
    on its own (rather than adding days to a UTC instant) is what keeps 09:00 at 09:00 across
    a DST change. A time that does not exist (02:30 on the spring-forward night) moves forward
    by the gap, to 03:30; a time that happens twice (02:30 on the autumn night) is the first.
    """
    if local.tzinfo is not None:
        return local.astimezone(UTC)
    return local.replace(tzinfo=ZoneInfo(zone_name), fold=0).astimezone(UTC)


def utc_to_local(instant: datetime, zone_name: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone_name))


def parse_when(text: str, zone_name: str) -> datetime:
    """ISO 8601 text; without an offset it is the workspace's local time."""
    return local_to_utc(datetime.fromisoformat(text.strip()), zone_name)
