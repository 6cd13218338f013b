"""How a failure is written onto a row that records it (a sync job's or a webhook event's
`error` column): one line, bounded, and only what may be shown to the merchant.

An `AppError` carries a public `detail` written for the merchant (the store rejected the
keys, the store is down). Anything else is a fault of ours or of a dependency; its text may
hold SQL, addresses or parameters, so the row gets a plain sentence naming only the kind of
error, and the full error goes to the log (the caller logs it with its traceback).
"""

from __future__ import annotations

from core.errors import AppError

MAX_ERROR_CHARS = 500


def one_line_error(exc: BaseException) -> str:
    if isinstance(exc, AppError):
        detail = exc.detail
    else:
        detail = (
            f"Stopped by an unexpected error ({type(exc).__name__}); "
            "it has been logged for the operator."
        )
    return " ".join(str(detail).split())[:MAX_ERROR_CHARS]


# What a failed sync job shows the merchant (the dashboard's sync history).
job_failure_reason = one_line_error
