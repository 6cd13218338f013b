"""SQL text for a column that holds one of a StrEnum's values (CHECK constraints, partial
index predicates), so the database's list of allowed values is the enum's, not a copy."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


def one_of(column: str, values: Iterable[StrEnum]) -> str:
    """`column IN ('a', 'b')`: the values are the enum's own identifiers, never user input."""
    quoted = ", ".join(f"'{value.value}'" for value in values)
    return f"{column} IN ({quoted})"
