"""Which database failures mean "the database is unavailable right now" (a 503 with
`Retry-After`, logged as one line) rather than a bug (a 500 with a traceback).

Unavailable: the server cannot be reached or dropped the connection (no SQLSTATE, class
08), it is short of resources (53) or failed outside PostgreSQL (58: disk, I/O), an
operator or the server stopped the work (57: a statement timeout or cancel, a shutdown, a
terminated backend; 25P03: the idle-in-transaction timeout), a lock wait gave up (55P03,
`lock_timeout`), a deadlock was broken (40P01), or the pool had no connection to lend in
time. Anything else (a constraint, a syntax error, a value too long for an index) stays a
bug.
"""

from __future__ import annotations

import psycopg
from sqlalchemy import exc as sa_exc

UNAVAILABLE_SQLSTATE_CLASSES = frozenset({"08", "53", "57", "58"})
UNAVAILABLE_SQLSTATES = frozenset({"55P03", "40P01", "25P03"})


def database_unavailable_reason(error: BaseException) -> str | None:
    """A short, secret-free reason (for one log line) when `error` means the database is
    unavailable; None when it is any other failure."""
    if isinstance(error, sa_exc.TimeoutError):
        return "connection pool exhausted"
    driver_error = error.orig if isinstance(error, sa_exc.DBAPIError) else error
    if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
        return f"connection lost ({type(driver_error).__name__})"
    if not isinstance(driver_error, psycopg.Error):
        return None
    sqlstate = driver_error.sqlstate
    if sqlstate is None:
        # Raised by the client side: refused, unreachable, closed or broken connections.
        return (
            f"connection failed ({type(driver_error).__name__})"
            if isinstance(driver_error, psycopg.OperationalError)
            else None
        )
    if sqlstate[:2] in UNAVAILABLE_SQLSTATE_CLASSES or sqlstate in UNAVAILABLE_SQLSTATES:
        return f"{type(driver_error).__name__} (SQLSTATE {sqlstate})"
    return None


def find_database_unavailable(error: BaseException) -> str | None:
    """`database_unavailable_reason` of `error`, or of the error it was raised from, or of
    every error of an exception group (task groups wrap what their tasks raised)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, BaseExceptionGroup):
            reasons = [find_database_unavailable(inner) for inner in current.exceptions]
            if reasons and all(reasons):
                return reasons[0]
            return None
        reason = database_unavailable_reason(current)
        if reason is not None:
            return reason
        current = current.__cause__
    return None


# SQLSTATEs of a server that is there but takes no sessions: admin or crash shutdown, or
# starting up / in recovery without hot standby.
_NO_SESSIONS_SQLSTATES = frozenset({"57P01", "57P02", "57P03"})


def connection_lost_reason(error: BaseException) -> str | None:
    """`database_unavailable_reason` narrowed to the connection itself: refused,
    unreachable, dropped, timed out, the server not taking sessions, or the pool having
    none to lend. A statement or lock timeout is not one (that is about one query). After
    one of these the transaction is gone: nothing may carry on in it (a savepoint cannot
    undo it), and a replica that raised it is down."""
    reason = database_unavailable_reason(error)
    if reason is None:
        return None
    if isinstance(error, sa_exc.TimeoutError):
        return reason
    if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
        return reason
    driver_error = error.orig if isinstance(error, sa_exc.DBAPIError) else error
    sqlstate = driver_error.sqlstate if isinstance(driver_error, psycopg.Error) else None
    if sqlstate is None or sqlstate.startswith("08") or sqlstate in _NO_SESSIONS_SQLSTATES:
        return reason
    return None
