"""The sweep as a heat map: two of its axes as a grid, each cell coloured by the objective on
the held-out (test) split, the best over the sweep's other axes; the chosen point outlined.

Hand-drawn SVG like `svg_charts`; a value missing from every point of a cell leaves it grey.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from evals.answers.html_kit import esc, fixed, ink_on, ramp

EMPTY = "#eeeeee"


def chosen_axes(axes: Mapping[str, Sequence[Any]]) -> list[str]:
    """The first two axes the sweep actually varied (an axis of one value is a constant)."""
    return [name for name, values in axes.items() if len(values) > 1][:2]


def _key(value: Any) -> str:
    # Params come back from JSON as ints, floats or strings; compare them as JSON text so 40
    # and "40" stay distinct and lists are hashable.
    return json.dumps(value, sort_keys=True)


def cell_values(
    sweep: Mapping[str, Any], x_axis: str, y_axis: str | None
) -> dict[tuple[str, str], float]:
    """(x key, y key) -> the best test objective among the points in that cell."""
    # The metric the points hold the objective under (a sweep written before the key
    # existed named the metric itself in "objective").
    objective = sweep.get("objective_key", sweep["objective"])
    cells: dict[tuple[str, str], float] = {}
    for point in sweep.get("points", []):
        score = (point.get("test") or {}).get(objective)
        if score is None:
            continue
        params = point.get("params", {})
        cell = (_key(params.get(x_axis)), _key(params.get(y_axis)) if y_axis else "")
        cells[cell] = max(float(score), cells.get(cell, float("-inf")))
    return cells


def _legend(x0: float, y0: float, low: float, high: float) -> str:
    steps, step_w = 24, 6
    parts = [f'<g class="legend"><text x="{x0}" y="{y0 - 6}">test objective</text>']
    for i in range(steps):
        parts.append(
            f'<rect x="{x0 + i * step_w}" y="{y0}" width="{step_w}" height="12" '
            f'fill="{ramp(i / (steps - 1))}"/>'
        )
    right = x0 + steps * step_w
    parts.append(
        f'<text x="{x0}" y="{y0 + 26}">{fixed(low)}</text>'
        f'<text x="{right}" y="{y0 + 26}" text-anchor="end">{fixed(high)}</text>'
        f'<rect x="{right + 18}" y="{y0}" width="18" height="12" fill="none" stroke="#111" '
        f'stroke-width="3"/><text x="{right + 42}" y="{y0 + 10}">best point</text>'
        f'<rect x="{right + 120}" y="{y0}" width="18" height="12" fill="{EMPTY}"/>'
        f'<text x="{right + 144}" y="{y0 + 10}">no point</text></g>'
    )
    return "".join(parts)


def sweep_heatmap(sweep: Mapping[str, Any]) -> str:
    axes = chosen_axes(sweep.get("axes", {}))
    if not axes:
        return ""
    x_axis, y_axis = axes[0], (axes[1] if len(axes) > 1 else None)
    xs = list(sweep["axes"][x_axis])
    ys = list(sweep["axes"][y_axis]) if y_axis else [None]
    cells = cell_values(sweep, x_axis, y_axis)
    low, high = (min(cells.values()), max(cells.values())) if cells else (0.0, 1.0)
    best = (sweep.get("best") or {}).get("params", {})
    best_cell = (_key(best.get(x_axis)), _key(best.get(y_axis)) if y_axis else "")
    cell_w, cell_h, left, top = 84, 40, 110, 66
    width = max(left + cell_w * len(xs) + 20, 470)
    height = top + cell_h * len(ys) + 90
    parts = [
        f'<svg class="plot sweep-plot" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="sweep heat map" '
        'font-family="sans-serif" font-size="11">',
        f'<text x="8" y="16" font-size="13" font-weight="bold">{esc(sweep["objective"])} on the '
        "test split (best over the other axes)</text>",
        f'<text x="{left + cell_w * len(xs) / 2}" y="{top - 22}" text-anchor="middle" '
        f'font-weight="bold">{esc(x_axis)}</text>',
    ]
    if y_axis:
        parts.append(
            f'<text x="{left - 8}" y="{top - 8}" text-anchor="end" font-weight="bold">'
            f"{esc(y_axis)}</text>"
        )
    for i, xv in enumerate(xs):
        parts.append(
            f'<text x="{left + cell_w * (i + 0.5)}" y="{top - 6}" text-anchor="middle">'
            f"{esc(xv)}</text>"
        )
    outline = ""
    for j, yv in enumerate(ys):
        y = top + cell_h * j
        if y_axis:
            parts.append(
                f'<text x="{left - 8}" y="{y + cell_h / 2 + 4}" text-anchor="end">{esc(yv)}</text>'
            )
        for i, xv in enumerate(xs):
            x = left + cell_w * i
            cell = (_key(xv), _key(yv) if y_axis else "")
            value = cells.get(cell)
            share = 1.0 if value is None or high == low else (value - low) / (high - low)
            fill = EMPTY if value is None else ramp(share)
            label = "–" if value is None else fixed(value)
            parts.append(
                f'<rect class="cell" x="{x}" y="{y}" width="{cell_w}" height="{cell_h}" '
                f'fill="{fill}" stroke="#fff"><title>{esc(x_axis)}={esc(xv)}'
                f"{f' {esc(y_axis)}={esc(yv)}' if y_axis else ''}: {label}</title></rect>"
                f'<text x="{x + cell_w / 2}" y="{y + cell_h / 2 + 4}" text-anchor="middle" '
                f'fill="{ink_on(share) if value is not None else "#777"}">{label}</text>'
            )
            if cell == best_cell:
                # Drawn last so no neighbour's white border paints over it.
                outline = (
                    f'<rect class="best" x="{x + 1.5}" y="{y + 1.5}" width="{cell_w - 3}" '
                    f'height="{cell_h - 3}" fill="none" stroke="#111" stroke-width="3"/>'
                )
    parts.append(outline)
    parts.append(_legend(left, top + cell_h * len(ys) + 36, low, high))
    parts.append("</svg>")
    return "".join(parts)
