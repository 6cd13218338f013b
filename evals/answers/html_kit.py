"""Small pieces the answer report is built from: escaping, number formats, tables, the
display order of metrics and tags, and a colour scale.

Every text that comes from a results file goes through `esc`: answers, questions, prompts
and retrieved chunks were written by shoppers, models and merchants, so any of them may
hold markup.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from evals.answers.metrics.scoring import METRIC_NAMES
from evals.answers.records import Tag

# The contract's per-turn metrics in the order a reader meets them (retrieval, then what the
# answer says, then how it says it); a metric the report does not know comes after, by name.
METRIC_ORDER = METRIC_NAMES
TAG_ORDER = tuple(tag.value for tag in Tag)
ALL = "all"  # the label of the overall estimate beside the per-tag ones


def esc(value: Any) -> str:
    """Text for HTML and SVG content and attribute values (quotes escaped too)."""
    return html.escape(str(value), quote=True)


def fixed(value: Any, places: int = 3) -> str:
    return f"{float(value):.{places}f}"


def signed(value: Any, places: int = 3) -> str:
    return f"{float(value):+.{places}f}"


def interval(low: Any, high: Any, *, sign: bool = False) -> str:
    form = signed if sign else fixed
    return f"[{form(low)}, {form(high)}]"


def ordered(names: Iterable[str], order: Sequence[str]) -> list[str]:
    """`names` in `order`'s order, the ones it does not list after them alphabetically."""
    present = set(names)
    known = [name for name in order if name in present]
    return known + sorted(present - set(order))


def metric_names(metrics: Mapping[str, Any]) -> list[str]:
    return ordered(metrics, METRIC_ORDER)


def tag_label(tag: str | None) -> str:
    return ALL if tag is None else tag


def table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], *, css: str = "", numeric_from: int = 1
) -> str:
    """A table of already-escaped cells; columns from `numeric_from` on are right-aligned."""
    head = "".join(
        f'<th class="{"num" if i >= numeric_from else ""}">{esc(h)}</th>'
        for i, h in enumerate(headers)
    )
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="{"num" if i >= numeric_from else ""}">{cell}</td>'
            for i, cell in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return (
        f'<table class="{esc(css)}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def definitions(pairs: Iterable[tuple[str, str]]) -> str:
    """A <dl> of label -> already-escaped value."""
    items = "".join(f"<dt>{esc(label)}</dt><dd>{value}</dd>" for label, value in pairs)
    return f'<dl class="facts">{items}</dl>'


def flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """A nested config as dotted keys and their JSON-ish values, in the config's order."""
    if isinstance(value, Mapping):
        pairs: list[tuple[str, str]] = []
        for key, inner in value.items():
            pairs.extend(flatten(inner, f"{prefix}.{key}" if prefix else str(key)))
        return pairs
    if value is None:
        return [(prefix, "null")]
    if isinstance(value, list | tuple):
        return [(prefix, ", ".join(str(v) for v in value) or "[]")]
    return [(prefix, str(value))]


# Light to dark (a viridis-like ramp, reversed so that "better" reads darker and stands out).
_RAMP = ((253, 231, 37), (94, 201, 98), (33, 145, 140), (59, 82, 139), (68, 1, 84))


def ramp(share: float) -> str:
    """The colour of a value at `share` (0..1) of its range."""
    share = min(max(share, 0.0), 1.0) * (len(_RAMP) - 1)
    step = min(int(share), len(_RAMP) - 2)
    part = share - step
    low, high = _RAMP[step], _RAMP[step + 1]
    r, g, b = (round(a + (z - a) * part) for a, z in zip(low, high, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def ink_on(share: float) -> str:
    """Text colour readable on `ramp(share)`."""
    return "#111" if share < 0.45 else "#fff"
