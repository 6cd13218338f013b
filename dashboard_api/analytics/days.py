"""Windows of calendar days in the business's time zone, for the series and the top lists:
`from` inclusive, `to` exclusive, at most a year (366 days); by default the 30 days that end
with today. Also where the local days and hours of a window start, and the rollups'
quarter hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.errors import ValidationFailed
from core.models.analytics import BUCKET_MINUTES

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


# The rollups' quarter hours (core.models.analytics.BUCKET_MINUTES), counted from an epoch
# on a quarter hour, as alembic 0007's `analytics_bucket` counts them.
QUARTER_HOUR = timedelta(minutes=BUCKET_MINUTES)
_BUCKET_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def inner_days(start: datetime, end: datetime, timezone: str) -> DayRange | None:
    """The whole business days that lie within [start, end) (None: not one whole day): the
    summary reads those from the day rollup and only the edges from the quarter hours."""
    zone = _zone(timezone)

    def midnight(day: date) -> datetime:
        return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)

    first = start.astimezone(zone).date()
    if midnight(first) < start:
        first += timedelta(days=1)
    last = end.astimezone(zone).date()
    if midnight(last) > end:  # a midnight that does not exist (a DST gap)
        last -= timedelta(days=1)
    if last <= first:
        return None
    return DayRange(first, last, zone.key, midnight(first), midnight(last))


def whole_quarter_hours(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """[start, end) widened to whole quarter hours (start down, end up): the window the
    rollups can count exactly, or a 422 at the edge of the calendar."""
    try:
        first = start - (start - _BUCKET_EPOCH) % QUARTER_HOUR
        after = end - (end - _BUCKET_EPOCH) % QUARTER_HOUR
        return first, after if after == end else after + QUARTER_HOUR
    except OverflowError:
        raise ValidationFailed("from / to: out of range") from None


def hour_starts(window: DayRange) -> list[datetime]:
    """Where each local hour of the window starts, as aware local datetimes. Over a DST
    change a day has 23 or 25 of them (the repeated hour twice, with its two offsets); a
    zone whose offset moves by 30 minutes gets a half hour. Found by walking the quarter
    hours, so any offset that is a whole number of them works."""
    zone = ZoneInfo(window.timezone)
    starts: list[datetime] = []
    moment = window.start_at
    while moment < window.end_at:
        local = moment.astimezone(zone)
        if local.minute == 0 or not starts:
            starts.append(local)
        moment += QUARTER_HOUR
    return starts


def day_starts(window: DayRange) -> list[datetime]:
    """Each day's local midnight (as aware local datetimes)."""
    zone = ZoneInfo(window.timezone)
    return [datetime.combine(day, time(), tzinfo=zone) for day in window.days()]


def whole_months(first: date, end: date) -> tuple[date, date]:
    """The whole calendar months inside [first, end), as [first of a month, first of a
    month); an empty range at `end` when there are none."""
    start = first if first.day == 1 else _next_month(first)
    stop = end.replace(day=1)
    return (start, stop) if start < stop else (end, end)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)
