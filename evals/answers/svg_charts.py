"""Hand-drawn SVG for the answer report (matplotlib is not a dependency, as in
`evals/report.py: write_svg`): a metric by tag with intervals, and the latency histogram.

The SVG is inline in the HTML page, so it carries no xmlns and needs no network; every
label from the results is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from evals.answers.html_kit import ALL, esc, fixed

CURRENT = "#3b528b"
BASELINE = "#d1495b"


def metric_by_tag(
    metric: str,
    rows: Sequence[tuple[str, Mapping[str, Any]]],
    baselines: Mapping[str, float] | None = None,
) -> str:
    """One row per tag ("all" first): the mean as a dot, its 95 % interval as a whisker, on
    a 0..1 axis; a baseline's mean (when compared) as a hollow marker just under it."""
    left, plot, right, top, row_height = 120, 240, 92, 34, 24
    width, height = left + plot + right, top + row_height * len(rows) + 30
    baselines = baselines or {}

    def x(value: float) -> float:
        return left + plot * min(max(value, 0.0), 1.0)

    parts = [
        f'<svg class="plot metric-plot" data-metric="{esc(metric)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{esc(metric)} by tag" font-family="sans-serif" font-size="11">',
        f'<text x="8" y="16" font-size="13" font-weight="bold">{esc(metric)}</text>',
    ]
    axis_y = top + row_height * len(rows)
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(
            f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{top - 6}" y2="{axis_y}" '
            'stroke="#e3e3e3"/>'
            f'<text x="{x(tick):.1f}" y="{axis_y + 14}" text-anchor="middle" '
            f'fill="#555">{tick:g}</text>'
        )
    for i, (tag, estimate) in enumerate(rows):
        y = top + row_height * i + row_height / 2 - 4
        value, low, high = (float(estimate[k]) for k in ("value", "low", "high"))
        weight = ' font-weight="bold"' if tag == ALL else ""
        parts.append(
            f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end"{weight}>{esc(tag)}</text>'
            f'<line class="whisker" x1="{x(low):.1f}" x2="{x(high):.1f}" y1="{y:.1f}" '
            f'y2="{y:.1f}" stroke="{CURRENT}" stroke-width="2"/>'
            f'<circle class="dot" cx="{x(value):.1f}" cy="{y:.1f}" r="4.5" fill="{CURRENT}">'
            f"<title>{esc(metric)} · {esc(tag)}: {fixed(value)} [{fixed(low)}, {fixed(high)}] "
            f"n={int(estimate['n'])}</title></circle>"
            f'<text x="{left + plot + 8}" y="{y + 4:.1f}" fill="#333">{fixed(value)} '
            f'<tspan fill="#888">n={int(estimate["n"])}</tspan></text>'
        )
        if tag in baselines:
            base = baselines[tag]
            parts.append(
                f'<circle class="baseline-dot" cx="{x(base):.1f}" cy="{y + 8:.1f}" r="3.5" '
                f'fill="none" stroke="{BASELINE}" stroke-width="1.5">'
                f"<title>baseline {esc(metric)} · {esc(tag)}: {fixed(base)}</title></circle>"
            )
    if baselines:
        parts.append(
            f'<circle cx="{width - 84}" cy="12" r="4" fill="{CURRENT}"/>'
            f'<text x="{width - 76}" y="16">now</text>'
            f'<circle cx="{width - 44}" cy="12" r="3.5" fill="none" stroke="{BASELINE}" '
            'stroke-width="1.5"/>'
            f'<text x="{width - 36}" y="16">base</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.2g}"


def _position(value: float, edges: Sequence[float]) -> float:
    """Where `value` falls along the bins, in bin widths from the first edge. Bins are drawn
    equally wide (they are log-spaced), so inside a bin the position is logarithmic."""
    if value <= edges[0]:
        return 0.0
    for i in range(len(edges) - 1):
        low, high = edges[i], edges[i + 1]
        if value < high:
            if low > 0 and high > low:
                return i + math.log(value / low) / math.log(high / low)
            return i + (value - low) / (high - low) if high > low else float(i)
    return float(len(edges) - 1)


def latency_histogram(latency: Mapping[str, Any]) -> str:
    """Counts per log-spaced latency bin, the edges labelled in ms, p50 and p95 as lines."""
    histogram = latency.get("histogram") or {}
    edges = [float(e) for e in histogram.get("edges_ms", [])]
    counts = [int(c) for c in histogram.get("counts", [])]
    left, top, plot_w, plot_h = 48, 58, 560, 170
    width, height = left + plot_w + 24, top + plot_h + 46
    parts = [
        f'<svg class="plot latency-plot" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="latency histogram" '
        'font-family="sans-serif" font-size="11">',
        '<text x="8" y="16" font-size="13" font-weight="bold">Latency per turn (ms)</text>',
    ]
    if len(edges) != len(counts) + 1 or not counts:
        parts.append(f'<text x="{left}" y="{top + 40}" fill="#777">no latencies recorded</text>')
        return "".join(parts) + "</svg>"
    bin_w, peak = plot_w / len(counts), max(max(counts), 1)
    base_y = top + plot_h
    for tick in sorted({0, math.ceil(peak / 2), peak}):
        y = base_y - plot_h * tick / peak
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e3e3"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{tick}</text>'
        )
    for i, count in enumerate(counts):
        h = plot_h * count / peak
        parts.append(
            f'<rect class="bar" x="{left + i * bin_w + 1:.1f}" y="{base_y - h:.1f}" '
            f'width="{max(bin_w - 2, 1):.1f}" height="{h:.1f}" fill="{CURRENT}">'
            f"<title>{_ms(edges[i])}–{_ms(edges[i + 1])} ms: {count} turns</title></rect>"
        )
    label_every = max(1, math.ceil(len(edges) / 10))
    for i, edge in enumerate(edges):
        if i % label_every == 0 or i == len(edges) - 1:
            parts.append(
                f'<text x="{left + i * bin_w:.1f}" y="{base_y + 14}" text-anchor="middle" '
                f'fill="#555">{_ms(edge)}</text>'
            )
    # Labels above the bars, one line each, so they never overlap the bars or each other.
    for name, colour, label_y in (("p50", "#2a9d8f", top - 22), ("p95", BASELINE, top - 8)):
        raw = latency.get(f"{name}_ms")
        if raw is None:
            continue
        lx = left + bin_w * _position(float(raw), edges)
        parts.append(
            f'<line class="quantile" x1="{lx:.1f}" x2="{lx:.1f}" y1="{label_y - 4}" '
            f'y2="{base_y}" stroke="{colour}" stroke-width="2" stroke-dasharray="5 3"/>'
            f'<text x="{lx + 4:.1f}" y="{label_y}" fill="{colour}">{name} '
            f"{_ms(float(raw))} ms</text>"
        )
    parts.append(
        f'<text x="{left + plot_w / 2}" y="{height - 8}" text-anchor="middle" fill="#555">'
        "ms, log-spaced bins</text></svg>"
    )
    return "".join(parts)
