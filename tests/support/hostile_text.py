"""A hypothesis strategy for schemathesis cases with text the database cannot take: a NUL
or a lone UTF-16 surrogate put into one generated string (a JSON body field, a query or a
path parameter), so a fuzz run meets them on every kind of input, not by luck.

`fuzz_operations` walks a schema's operations with it, for both APIs' schemathesis runs.

Surrogates go only into JSON bodies: they are sent as `\\ud800` escapes there, while a URL
cannot carry one at all (the client would fail to encode it, not the server).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

NUL = "\x00"
LONE_SURROGATES = ("\ud800", "\udbff", "\udc00", "\udfff")
BODY_CHARACTERS = st.sampled_from((NUL, *LONE_SURROGATES))

Slot = tuple[Callable[[str], None], str, bool]  # set the new value, the old one, surrogates allowed


def _json_slots(container: Any) -> Iterator[Slot]:
    items = container.items() if isinstance(container, dict) else enumerate(container)
    for key, value in list(items):
        if isinstance(value, str):
            yield partial(container.__setitem__, key), value, True
        elif isinstance(value, (dict, list)):
            yield from _json_slots(value)


def _parameter_slots(parameters: dict[str, Any] | None) -> Iterator[Slot]:
    if parameters is None:
        return
    for name, value in parameters.items():
        if isinstance(value, str):
            yield partial(parameters.__setitem__, name), value, False


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


def has_hostile_text(value: str) -> bool:
    return any(ch == NUL or "\ud800" <= ch <= "\udfff" for ch in value)


@dataclass
class FuzzRun:
    """What a schemathesis walk did: every call, whether it carried hostile text, every
    status, and each operation's failure (collected, so one run reports them all)."""

    calls: list[str] = field(default_factory=list)
    hostile: list[bool] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)

    def assert_clean(self, *, min_calls: int) -> None:
        print(f"schemathesis: {len(self.calls)} calls, {sum(self.hostile)} with NUL or surrogates")
        print(sorted(Counter(self.statuses).items()))
        assert not self.failures, "\n\n".join(f"{k}:\n{v}" for k, v in self.failures.items())
        assert len(self.calls) >= min_calls
        assert sum(self.hostile) >= len(self.calls) // 5  # the hostile text really was sent


def fuzz_operations(
    operations: Sequence[Any],
    cases_for: Callable[[Any], st.SearchStrategy[Any]],
    *,
    headers: dict[str, str],
    checks: list[Any],
    examples_per_operation: int,
) -> FuzzRun:
    """Call every operation with `cases_for(operation)`, half of them given hostile text
    (`with_hostile_text`), deterministically, and run `checks` on each response."""
    run = FuzzRun()
    for operation in operations:
        label = f"{operation.method.upper()} {operation.path}"

        @settings(
            max_examples=examples_per_operation,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=with_hostile_text(cases_for(operation)))
        def exercise(case: Any) -> None:
            run.calls.append(case.operation.label)
            run.hostile.append(any(has_hostile_text(value) for _, value, _ in string_slots(case)))
            response = case.call_and_validate(headers=headers, checks=checks)
            run.statuses.append(f"{case.operation.label} {response.status_code}")

        try:
            exercise()
        except Exception as failure:
            run.failures[label] = str(failure)[:2000]
    return run
