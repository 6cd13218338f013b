"""Windows of calendar days in the business's time zone, for the per-day series and the top
lists: `from` inclusive, `to` exclusive, at most a year (366 days); by default the 30 days
that end with today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.errors import ValidationFailed

DEFAULT_DAYS = 30
MAX_DAYS = 366


@dataclass(frozen=True)
class DayRange:
    first: date  # inclusive
    end: date  # exclusive
    timezone: str
    start_at: datetime  # `first`'s midnight in the time zone, in UTC
    end_at: datetime  # `end`'s midnight in the time zone, in UTC

    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.end - self.first).days)]


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")  # a zone this machine lacks: count in UTC rather than fail


def day_range(
    first: date | None, end: date | None, timezone: str, *, now: datetime | None = None
) -> DayRange:
    """The window, or a 422 when `to` is not after `from`, it spans more than `MAX_DAYS`, or
    a bound is out of range."""
    zone = _zone(timezone)
    try:
        today = (now or datetime.now(UTC)).astimezone(zone).date()
        end = end or (first + timedelta(days=DEFAULT_DAYS) if first else today + timedelta(1))
        first = first or end - timedelta(days=DEFAULT_DAYS)
        if end <= first:
            raise ValidationFailed("to must be after from")
        if (end - first).days > MAX_DAYS:
            raise ValidationFailed(f"the window is at most {MAX_DAYS} days")
        start_at = datetime.combine(first, time(), tzinfo=zone).astimezone(UTC)
        end_at = datetime.combine(end, time(), tzinfo=zone).astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValidationFailed("from / to: out of range") from None
    return DayRange(first, end, zone.key, start_at, end_at)
