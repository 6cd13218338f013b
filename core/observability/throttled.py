"""A warning that repeats under load, logged at most once per interval with a count.

A database outage under load fails every request: a line for each would bury the log,
and its first line (the cause) under thousands of copies of it, exactly when an operator
reads it. The first failure after a quiet interval is logged at once; the ones after it
are counted, and the next line (once the interval has passed) says how many it stands for.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

DEFAULT_EVERY_S = 30.0


class ThrottledWarning:
    def __init__(
        self,
        logger: logging.Logger,
        *,
        every_s: float = DEFAULT_EVERY_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._logger = logger
        self._every_s = every_s
        self._clock = clock
        self._last: float | None = None
        self._unlogged = 0
        self._lock = threading.Lock()  # handlers may run on several threads (sync routes)

    def warning(self, message: str, *args: object) -> bool:
        """Log `message % args` unless a line went out less than `every_s` ago (then only
        count it); whether it was logged."""
        with self._lock:
            now = self._clock()
            if self._last is not None and now - self._last < self._every_s:
                self._unlogged += 1
                return False
            unlogged, self._unlogged, self._last = self._unlogged, 0, now
        if unlogged:
            message += f" (and {unlogged} more like it in the last {self._every_s:.0f} s)"
        self._logger.warning(message, *args)
        return True
