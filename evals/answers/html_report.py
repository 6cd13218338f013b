"""`report.html`: one self-contained page of an answer eval's results, readable offline.

Inline CSS and inline SVG drawn here, no script, no font, no image, no request of any kind:
the page's Content-Security-Policy forbids them all, so even a string that slipped past
escaping could neither run nor fetch anything. Collapsible parts are <details> elements,
which need no JavaScript.

Top to bottom: the run (suite, config, date, duration) and, against a baseline, the verdict
and the deltas; the overall metrics; each metric by tag; latency; tokens and cost; the sweep;
the judge's agreement; the worst turns.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from evals.answers import html_sections as sections
from evals.answers.html_kit import esc
from evals.answers.html_turns import worst_turns_section

POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; script-src 'none'; "
    "base-uri 'none'; form-action 'none'"
)

STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; color: #1d1d1f; margin: 0 auto; padding: 24px;
       max-width: 1180px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 12px; }
h2 { font-size: 18px; margin: 32px 0 10px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 14px 0 8px; }
h4 { font-size: 13px; margin: 10px 0 4px; color: #555; text-transform: uppercase; }
nav a { margin-right: 12px; color: #3b528b; }
code, pre { font: 12px/1.4 ui-monospace, monospace; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { padding: 3px 10px; border-bottom: 1px solid #eee; text-align: left;
         vertical-align: top; }
th { background: #f5f5f7; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0; }
dl.facts dt { color: #555; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.note { color: #555; font-size: 13px; }
.verdict { padding: 10px 14px; border-radius: 6px; font-size: 15px; }
.verdict.bad { background: #fde8ea; border: 1px solid #d1495b; color: #8a1c2b; }
.verdict.good { background: #e6f4ea; border: 1px solid #2a9d8f; color: #17594f; }
.status { font-weight: 600; padding: 1px 6px; border-radius: 4px; }
.status.bad { background: #d1495b; color: #fff; }
.status.good { background: #2a9d8f; color: #fff; }
.status.neutral { color: #555; }
.plots { display: flex; flex-wrap: wrap; gap: 10px 24px; }
figure { margin: 0; }
.turn { border: 1px solid #ddd; border-radius: 8px; padding: 4px 16px 12px; margin: 14px 0; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.question, .answer { background: #f7f7f9; padding: 6px 10px; border-radius: 6px; }
.turn-facts { display: flex; flex-wrap: wrap; gap: 0 40px; align-items: flex-start; }
.chip { display: inline-block; padding: 0 7px; margin: 0 4px 2px 0; border-radius: 10px;
        font-size: 12px; background: #e8ebf5; }
.chip.card { background: #eef6ee; }
.none { color: #888; font-style: italic; }
.scores .low { color: #b3261e; font-weight: 600; }
table.sources td:last-child { max-width: 620px; font-size: 12px; }
.message { margin: 6px 0; }
.message .role { font-weight: 600; color: #3b528b; }
.message pre { background: #f7f7f9; padding: 6px 10px; margin: 2px 0; max-height: 360px;
               overflow: auto; }
details summary { cursor: pointer; color: #3b528b; margin: 6px 0; }
"""

_NAV = {
    "summary": "Run",
    "comparison": "Baseline",
    "metrics": "Metrics",
    "by-tag": "By tag",
    "latency": "Latency",
    "tokens": "Tokens",
    "sweep": "Sweep",
    "judge": "Judge",
    "worst-turns": "Worst turns",
}


def _sections(results: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(anchor, html) of each section the results have data for, in page order."""
    compared = results.get("comparison")
    metrics = results.get("metrics", {})
    turns = results.get("turns", [])
    parts = [("summary", sections.header(results))]
    if compared:
        parts.append(("comparison", sections.comparison(compared)))
    parts.append(("metrics", sections.overall_metrics(metrics)))
    parts.append(("by-tag", sections.metric_plots(metrics, compared)))
    parts.append(("latency", sections.latency(results.get("latency") or {})))
    parts.append(("tokens", sections.tokens(results.get("tokens") or {}, len(turns))))
    if results.get("sweep"):
        parts.append(("sweep", sections.sweep(results["sweep"])))
    if results.get("judge"):
        parts.append(("judge", sections.judge(results["judge"])))
    parts.append(("worst-turns", worst_turns_section(turns)))
    return parts


def render_html(results: Mapping[str, Any]) -> str:
    """The whole page as text."""
    parts = _sections(results)
    nav = "".join(f'<a href="#{anchor}">{_NAV[anchor]}</a>' for anchor, _ in parts)
    title = esc(f"Answer eval: {results.get('suite', {}).get('name', 'suite')}")
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{STYLE}</style></head>"
        f"<body><nav>{nav}</nav>{''.join(html for _, html in parts)}</body></html>\n"
    )


def write_html(results: Mapping[str, Any], path: Path) -> Path:
    """Write the report for `results` (a results.json dict) to `path`; returns `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(results), encoding="utf-8")
    return path
