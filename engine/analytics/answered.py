"""When a shopper's question counts as answered: the one definition the top questions, the
content gaps and the per-day series share (issue 16: unanswered is "an answer with no
relevant source or a fallback").

A question is answered when the assistant's reply to it has status `ok` and cites at least
one source (a product card or a knowledge document). So these are unanswered: `no_answer`
(retrieval found nothing), `error` (the model failed), and an `ok` reply that cites
nothing: the out-of-scope redirect, or a model's answer that named no source.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_

from core.models import Message

ANSWERED_STATUS = "ok"
# `sources @> '[{}]'`: an array holding at least one object (every source is one), true or
# false whatever the JSON's shape, where `jsonb_array_length` would raise on a non-array.
_CITES_A_SOURCE = "[{}]"


def is_answered(status: str, sources: list[dict[str, Any]]) -> bool:
    return status == ANSWERED_STATUS and any(isinstance(source, dict) for source in sources)


def answered_reply() -> ColumnElement[bool]:
    """`is_answered` over an assistant `Message` row, for SQL that counts replies."""
    return and_(
        Message.status == ANSWERED_STATUS,
        Message.sources.contains([{}]),
    )


def answered_reply_sql(alias: str) -> str:
    """`is_answered` as a raw SQL condition over the messages row aliased `alias`."""
    return f"({alias}.status = '{ANSWERED_STATUS}' AND {alias}.sources @> '{_CITES_A_SOURCE}')"
