"""The ids an answer's error carries once the shopper's message is stored.

The answer service commits the shopper's message before anything is searched or generated
and says so with `QuestionStored` (engine.answer_events), which the pump keeps
(api/chat/streaming.py). An answer that ends early after that (the server shutting down,
the model or the database failing) ends with an `error` event, or in JSON mode a problem,
that also carries the message's `conversation_id` (maybe of a conversation this very
request opened) and `message_id`: the client's retry sends both back, the id as
`retry_of`, and the stored question is answered instead of stored again
(engine.question_retry).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from core.db.faults import find_database_unavailable
from core.errors import AppError, DatabaseUnavailable
from engine.answer_events import QuestionStored

DATABASE_DETAIL = "The database is not available right now. Please try again shortly."


class KeepsStored(Protocol):
    """What keeps the `QuestionStored` of an answer: `streaming.AnswerPump`."""

    @property
    def stored(self) -> QuestionStored | None: ...


def stored_ids(stored: QuestionStored | None) -> dict[str, str]:
    """The members an error adds once the shopper's message is stored (none before)."""
    if stored is None:
        return {}
    return {"conversation_id": str(stored.conversation_id), "message_id": str(stored.message_id)}


@contextmanager
def stored_ids_on_errors(pump: KeepsStored) -> Iterator[None]:
    """A failure raised here once the shopper's message was stored becomes a problem with
    its ids as extension members, as the stream's `error` event has them."""
    try:
        yield
    except AppError as error:
        error.extra.update(stored_ids(pump.stored))
        raise
    except Exception as error:
        if pump.stored is None or find_database_unavailable(error) is None:
            raise  # the catch-all's 503 or 500 (web.errors)
        outage = DatabaseUnavailable(DATABASE_DETAIL)
        outage.extra.update(stored_ids(pump.stored))
        raise outage from error
