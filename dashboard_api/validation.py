"""Value checks the request schemas share: the field validators call these, so a rule
(and the message a client reads when it is broken) is written once."""

from __future__ import annotations

import re


def not_blank(value: str) -> str:
    """Refuses text that is only whitespace; keeps the text as sent."""
    if not value.strip():
        raise ValueError("must not be blank")
    return value


def stripped_name(value: str | None) -> str | None:
    """A name: blank refused, surrounding whitespace dropped; None (not sent) stays None."""
    return None if value is None else not_blank(value).strip()


def matching(value: str | None, pattern: re.Pattern[str], message: str) -> str | None:
    """`value` when it is None or `pattern` matches its start, else `message` as the error."""
    if value is not None and not pattern.match(value):
        raise ValueError(message)
    return value
