"""The SQL an application's engine sends, in order, for tests that assert which statements
a code path sends (SQLAlchemy's cursor event)."""

from __future__ import annotations

from sqlalchemy import event


class SentStatements:
    """The SQL the application role sends, in order (SQLAlchemy's cursor event)."""

    def __init__(self, db) -> None:
        self._engine = db.engine.sync_engine
        self.sent: list[str] = []

    def _capture(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.sent.append(" ".join(statement.split()))

    def __enter__(self) -> SentStatements:
        event.listen(self._engine, "before_cursor_execute", self._capture)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self._engine, "before_cursor_execute", self._capture)

    def any(self, fragment: str) -> bool:
        return any(fragment in s for s in self.sent)

    def snapshot(self) -> None:
        self.at_snapshot = list(self.sent)
