"""The analytics calls the merchant dashboard makes, as the bench times them.

The analytics page (dashboard_web/src/features/analytics/api.ts) asks for the summary with
instants (the first day's and the day-after-the-last's midnights, with the offset) and for
the per-day reads with calendar days (`from` inclusive, `to` exclusive, `limit=10` for the
top lists), for a preset window (7, 30, 90 days) or a custom one (here: 365), for every bot
or one: the summary, the time series by day (by hour only up to 7 days, as the page asks),
top questions, content gaps and top products. A call the API does not serve (404) is
reported as such and skipped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

WINDOWS = (7, 30, 90, 365)


@dataclass(frozen=True)
class Window:
    days: int
    first: date  # inclusive
    end: date  # exclusive
    zone: str

    def instant(self, day: date) -> datetime:
        return datetime.combine(day, time(), tzinfo=ZoneInfo(self.zone))

    @property
    def start_at(self) -> datetime:
        return self.instant(self.first)

    @property
    def end_at(self) -> datetime:
        return self.instant(self.end)


def windows(last_day: date, zone: str, sizes: tuple[int, ...] = WINDOWS) -> list[Window]:
    """The windows of `sizes` days that end with `last_day` (the last day with data)."""
    end = last_day + timedelta(days=1)
    return [Window(days, end - timedelta(days=days), end, zone) for days in sizes]


def _instants(window: Window) -> dict[str, str]:
    return {"from": window.start_at.isoformat(), "to": window.end_at.isoformat()}


def _days(window: Window) -> dict[str, str]:
    return {"from": window.first.isoformat(), "to": window.end.isoformat()}


@dataclass(frozen=True)
class Call:
    name: str  # as printed; the baseline's key (bench/analytics_baseline.py)
    path: str
    query: Callable[[Window], dict[str, str]]
    extra: dict[str, str] = field(default_factory=dict)
    max_days: int = 366  # the API refuses longer windows for this call
    baseline: str = ""  # the raw-SQL baseline's key when not the path's last segment

    def params(self, window: Window, bot_id: Any | None) -> dict[str, str]:
        params = {**self.query(window), **self.extra}
        if bot_id is not None:
            params["bot_id"] = str(bot_id)
        return params

    @property
    def baseline_key(self) -> str:
        return self.baseline or self.path.rsplit("/", 1)[-1]


CALLS: tuple[Call, ...] = (
    Call("summary", "/v1/analytics/summary", _instants),
    Call(
        "timeseries (day)",
        "/v1/analytics/timeseries",
        _days,
        {"interval": "day"},
        baseline="daily",  # the per-day counts the pre-rollup daily read ran
    ),
    Call("timeseries (hour)", "/v1/analytics/timeseries", _days, {"interval": "hour"}, max_days=7),
    Call("top-questions", "/v1/analytics/top-questions", _days, {"limit": "10"}),
    Call("content-gaps", "/v1/analytics/content-gaps", _days, {"limit": "10"}),
    Call("top-products", "/v1/analytics/top-products", _days, {"limit": "10"}),
)
