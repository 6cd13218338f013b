"""A cap on the answers one API process has in flight: past it, a new question is refused
at once (429 `busy`, with Retry-After) instead of slowing every answer already running.

A request takes its slot first (before the shopper's session is read and before anything
counts against the shopper's limits: a refused question costs little), hands it to its
answer once that starts, and the answer gives it back when its producer is done: stored,
failed, or cancelled by a shopper who left. A request that fails before its answer starts
(a bad session, the shopper's own rate limit) gives it back as it ends. Each open answer costs
the event loop work at every token the model streams, so how many run at once is what
decides how late the next one's first token is; a fixed cap keeps that bound without the
swings of a measure that reacts after the loop is already behind (api/chat/admission.py,
the other guard, which stays as the backstop). `chat_max_answers_in_flight`
(core.settings): 0, the default, sets no cap.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from api.chat.admission import BUSY_RETRY_AFTER_S, Busy


class AnswerSlots:
    """At most `limit` answers in flight in this process (0: no limit)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.in_flight = 0
        self.refused = 0

    def take(self) -> AnswerSlot:
        """A slot for one answer; raises Busy when every slot is taken."""
        if self.limit and self.in_flight >= self.limit:
            self.refused += 1
            raise Busy(
                "Many shoppers are asking right now; try again in a moment.",
                retry_after=BUSY_RETRY_AFTER_S,
            )
        self.in_flight += 1
        return AnswerSlot(self)


class AnswerSlot:
    """One taken slot, given back once however often `give_back` is called: by the
    request as it ends (`release_unless_handed`), unless it was handed to the answer that
    started (`hand_over`), whose end then gives it back."""

    def __init__(self, slots: AnswerSlots) -> None:
        self._slots = slots
        self.taken_at = time.perf_counter()  # where the answer's stages start counting
        self._given_back = False
        self._handed = False

    def give_back(self) -> None:
        if not self._given_back:
            self._given_back = True
            self._slots.in_flight -= 1

    def hand_over(self) -> Callable[[], None]:
        """The answer holds the slot now: the callable its end calls to give it back."""
        self._handed = True
        return self.give_back

    def release_unless_handed(self) -> None:
        if not self._handed:
            self.give_back()
