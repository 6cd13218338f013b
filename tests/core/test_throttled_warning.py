"""ThrottledWarning (core.observability.throttled): the first of a run of failures is logged
at once, the rest within the interval are counted into the next line, and a quiet interval
starts over."""

from __future__ import annotations

import logging

import pytest

from core.observability.throttled import ThrottledWarning


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_one_line_per_interval_with_the_count_of_the_unlogged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    logger = logging.getLogger("tests.throttled")
    clock = Clock()
    outage = ThrottledWarning(logger, every_s=30, clock=clock)
    with caplog.at_level(logging.WARNING, logger="tests.throttled"):
        assert outage.warning("database unavailable on %s: %s", "GET /a", "refused")
        for second in range(1, 30):
            clock.now = 1000.0 + second
            assert not outage.warning("database unavailable on %s: %s", "GET /b", "refused")
        clock.now = 1030.0
        assert outage.warning("database unavailable on %s: %s", "POST /c", "refused")
        clock.now = 1200.0  # a quiet interval: the next failure is news again
        assert outage.warning("database unavailable on %s: %s", "GET /d", "timeout")

    assert [r.getMessage() for r in caplog.records] == [
        "database unavailable on GET /a: refused",
        "database unavailable on POST /c: refused (and 29 more like it in the last 30 s)",
        "database unavailable on GET /d: timeout",
    ]
    assert all(r.levelno == logging.WARNING for r in caplog.records)
