"""A hypothesis strategy for schemathesis cases with text the database cannot take: a NUL
or a lone UTF-16 surrogate put into one generated string (a JSON body field, a query or a
path parameter), so a fuzz run meets them on every kind of input, not by luck.

Surrogates go only into JSON bodies: they are sent as `\\ud800` escapes there, while a URL
cannot carry one at all (the client would fail to encode it, not the server).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from hypothesis import strategies as st

NUL = "\x00"
LONE_SURROGATES = ("\ud800", "\udbff", "\udc00", "\udfff")
BODY_CHARACTERS = st.sampled_from((NUL, *LONE_SURROGATES))

Slot = tuple[Callable[[str], None], str, bool]  # set the new value, the old one, surrogates allowed


def _json_slots(container: Any) -> Iterator[Slot]:
    items = container.items() if isinstance(container, dict) else enumerate(container)
    for key, value in list(items):
        if isinstance(value, str):
            yield (lambda new, c=container, k=key: c.__setitem__(k, new)), value, True
        elif isinstance(value, (dict, list)):
            yield from _json_slots(value)


def _parameter_slots(parameters: dict[str, Any] | None) -> Iterator[Slot]:
    for name, value in (parameters or {}).items():
        if isinstance(value, str):
            yield (lambda new, p=parameters, k=name: p.__setitem__(k, new)), value, False


def string_slots(case: Any) -> list[Slot]:
    slots: list[Slot] = []
    if isinstance(case.body, (dict, list)):
        slots.extend(_json_slots(case.body))
    slots.extend(_parameter_slots(case.query))
    slots.extend(_parameter_slots(case.path_parameters))
    return slots


@st.composite
def with_hostile_text(draw: st.DrawFn, cases: st.SearchStrategy[Any]) -> Any:
    """Half of the cases get one NUL or lone surrogate in one of their strings."""
    case = draw(cases)
    slots = string_slots(case)
    if not slots or not draw(st.booleans()):
        return case
    set_value, value, surrogates_allowed = draw(st.sampled_from(slots))
    character = draw(BODY_CHARACTERS if surrogates_allowed else st.just(NUL))
    at = draw(st.integers(min_value=0, max_value=len(value)))
    set_value(value[:at] + character + value[at:])
    return case
