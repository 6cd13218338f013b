"""A cap on the answers one API process has in flight: past it, a new question is refused
at once (429 `busy`, with Retry-After) instead of slowing every answer already running.

An answer holds its slot from the moment it is taken (after the shopper's session is
read, before anything is counted against the shopper's limits) until its producer is done:
the answer stored, failed, or cancelled by a shopper who left. Each open answer costs
the event loop work at every token the model streams, so how many run at once is what
decides how late the next one's first token is; a fixed cap keeps that bound without the
swings of a measure that reacts after the loop is already behind (api/chat/admission.py,
the other guard, which stays as the backstop). `chat_max_answers_in_flight`
(core.settings): 0, the default, sets no cap.
"""

from __future__ import annotations

from collections.abc import Callable

from api.chat.admission import BUSY_RETRY_AFTER_S, Busy


class AnswerSlots:
    """At most `limit` answers in flight in this process (0: no limit)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.in_flight = 0
        self.refused = 0

    def take(self) -> Callable[[], None]:
        """A slot for one answer, and the callable that gives it back (once, whatever
        calls it how often); raises Busy when every slot is taken."""
        if self.limit and self.in_flight >= self.limit:
            self.refused += 1
            raise Busy(
                "Many shoppers are asking right now; try again in a moment.",
                retry_after=BUSY_RETRY_AFTER_S,
            )
        self.in_flight += 1
        given_back = False

        def give_back() -> None:
            nonlocal given_back
            if not given_back:
                given_back = True
                self.in_flight -= 1

        return give_back
