"""How a failure is written onto a row that records it (a sync job's or a webhook event's
`error` column): one line, bounded, the error's public detail when it has one."""

from __future__ import annotations

MAX_ERROR_CHARS = 500


def one_line_error(exc: BaseException) -> str:
    detail = getattr(exc, "detail", None) or str(exc) or type(exc).__name__
    return " ".join(str(detail).split())[:MAX_ERROR_CHARS]
