"""The answer report's sections, each a function of the results (the shape in
`evals/answers/records.py` and the issue 17 contract) returning escaped HTML."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from evals.answers.html_kit import (
    ALL,
    TAG_ORDER,
    definitions,
    esc,
    fixed,
    flatten,
    interval,
    metric_names,
    ordered,
    signed,
    table,
    tag_label,
)
from evals.answers.svg_charts import latency_histogram, metric_by_tag
from evals.answers.svg_heatmap import chosen_axes, sweep_heatmap

# Regressions are what a reader opens the comparison for, so they come first.
_STATUS_RANK = {"REGRESSION": 0, "improved": 1, "ok": 2}
_STATUS_CLASS = {"REGRESSION": "bad", "improved": "good", "ok": "neutral"}


def section(anchor: str, title: str, body: str) -> str:
    return f'<section id="{anchor}"><h2>{esc(title)}</h2>{body}</section>'


def _duration(seconds: float) -> str:
    minutes, rest = divmod(float(seconds), 60)
    return f"{int(minutes)} min {rest:.1f} s" if minutes else f"{rest:.1f} s"


def _model(config: Mapping[str, Any]) -> str:
    """The answering model, wherever the resolved config keeps it (a top-level "model", or
    an "llm"/"answerer" block with a model and/or provider)."""
    for block in (config, config.get("llm"), config.get("answerer")):
        if isinstance(block, Mapping):
            model, provider = block.get("model"), block.get("provider")
            if model or provider:
                return " / ".join(str(part) for part in (provider, model) if part)
    return "not stated"


def header(results: Mapping[str, Any]) -> str:
    suite, config = results.get("suite", {}), results.get("config") or {}
    fingerprint = str(suite.get("fingerprint", ""))
    retrieval = config.get("retrieval")
    settings = (
        " · ".join(f"{esc(k)}={esc(v)}" for k, v in flatten(retrieval))
        if isinstance(retrieval, Mapping)
        else "defaults"
    )
    facts = definitions(
        [
            ("catalogue", esc(suite.get("catalogue", ""))),
            ("fingerprint", f'<code title="{esc(fingerprint)}">{esc(fingerprint[:12])}</code>'),
            ("conversations", esc(suite.get("conversations", ""))),
            ("turns", esc(suite.get("turns", ""))),
            ("model", esc(_model(config))),
            ("retrieval", settings),
            ("config hash", f"<code>{esc(str(results.get('config_hash', ''))[:12])}</code>"),
            ("started", esc(results.get("started_at", ""))),
            ("duration", esc(_duration(results.get("duration_s", 0.0)))),
        ]
    )
    config_rows = [(esc(key), f"<code>{esc(value)}</code>") for key, value in flatten(config)]
    full = (
        f"<details><summary>Full configuration ({len(config_rows)} settings)</summary>"
        f"{table(['setting', 'value'], config_rows, numeric_from=2)}</details>"
    )
    title = f"<h1>Answer eval: {esc(suite.get('name', 'suite'))}</h1>"
    return f'<header id="summary">{title}{facts}{full}</header>'


def comparison(compared: Mapping[str, Any]) -> str:
    rows = sorted(compared.get("rows", []), key=lambda r: _STATUS_RANK.get(r["status"], 3))
    regressions = [r for r in rows if r["status"] == "REGRESSION"]
    tolerance = fixed(compared.get("tolerance", 0.0), 3)
    baseline = esc(compared.get("baseline", ""))
    if compared.get("regressed"):
        fell = ", ".join(f"{esc(r['metric'])} ({esc(tag_label(r['tag']))})" for r in regressions)
        banner = (
            f'<p class="verdict bad"><strong>REGRESSION</strong> against {baseline}: {fell} '
            f"dropped by at least {tolerance} with a paired 95% interval wholly below zero.</p>"
        )
    else:
        banner = (
            f'<p class="verdict good"><strong>No regression</strong> against {baseline} '
            f"(tolerance {tolerance}: a drop that large with a paired 95% interval below zero "
            "would be one).</p>"
        )
    cells = [
        (
            esc(r["metric"]),
            esc(tag_label(r["tag"])),
            fixed(r["baseline"]),
            fixed(r["current"]),
            signed(r["delta"]),
            interval(r["low"], r["high"], sign=True),
            esc(r["n"]),
            f'<span class="status {_STATUS_CLASS.get(r["status"], "neutral")}">'
            f"{esc(r['status'])}</span>",
        )
        for r in rows
    ]
    headers = ["metric", "tag", "baseline", "current", "Δ", "paired 95% interval", "n", "status"]
    return section(
        "comparison", "Against the baseline", banner + table(headers, cells, numeric_from=2)
    )


def overall_metrics(metrics: Mapping[str, Any]) -> str:
    rows = []
    for name in metric_names(metrics):
        overall = metrics[name]["overall"]
        applied = int(overall["n"]) > 0
        rows.append(
            (
                esc(name),
                fixed(overall["value"]) if applied else "—",
                interval(overall["low"], overall["high"]) if applied else "not applied",
                esc(overall["n"]),
            )
        )
    note = (
        '<p class="note">Each metric is a mean over the turns it applies to, with its 95% '
        "percentile-bootstrap interval; n is the number of those turns.</p>"
    )
    return section(
        "metrics", "Metrics", note + table(["metric", "mean", "95% interval", "n"], rows)
    )


def _baselines(compared: Mapping[str, Any] | None, metric: str) -> dict[str, float]:
    rows = (compared or {}).get("rows", [])
    return {tag_label(r["tag"]): float(r["baseline"]) for r in rows if r["metric"] == metric}


def metric_plots(metrics: Mapping[str, Any], compared: Mapping[str, Any] | None) -> str:
    plots = []
    for name in metric_names(metrics):
        report = metrics[name]
        if int(report["overall"]["n"]) == 0:
            continue
        by_tag = report.get("by_tag", {})
        rows = [(ALL, report["overall"])] + [
            (tag, by_tag[tag]) for tag in ordered(by_tag, TAG_ORDER) if int(by_tag[tag]["n"]) > 0
        ]
        plots.append(f"<figure>{metric_by_tag(name, rows, _baselines(compared, name))}</figure>")
    legend = "Dot: the mean; line: its 95% interval; tags that no turn carried are left out." + (
        " Hollow marker: the baseline's mean." if compared else ""
    )
    body = f'<p class="note">{legend}</p><div class="plots">{"".join(plots)}</div>'
    return section("by-tag", "Each metric by tag", body)


def latency(measured: Mapping[str, Any]) -> str:
    facts = definitions(
        [
            ("p50", f"{fixed(measured.get('p50_ms', 0.0), 1)} ms"),
            ("p95", f"{fixed(measured.get('p95_ms', 0.0), 1)} ms"),
        ]
    )
    return section("latency", "Latency", facts + f"<figure>{latency_histogram(measured)}</figure>")


def tokens(used: Mapping[str, Any], turns: int) -> str:
    prompt, completion = int(used.get("prompt") or 0), int(used.get("completion") or 0)
    cost = used.get("cost_usd")
    per_turn = f"{(prompt + completion) / turns:,.1f}" if turns else "—"
    rows = [
        ("prompt tokens", f"{prompt:,}"),
        ("completion tokens", f"{completion:,}"),
        ("total tokens", f"{prompt + completion:,}"),
        ("tokens per turn", per_turn),
        ("cost", "not priced" if cost is None else f"${float(cost):.4f}"),
    ]
    return section("tokens", "Tokens and cost", table(["", "value"], rows))


def sweep(swept: Mapping[str, Any]) -> str:
    objective = swept.get("objective_key", swept.get("objective", ""))
    described = swept.get("objective", "")
    axes = swept.get("axes", {})
    varied = chosen_axes(axes)
    intro = (
        f'<p class="note">{len(swept.get("points", []))} points over '
        + ", ".join(f"{esc(name)} ({len(values)})" for name, values in axes.items())
        + f"; objective <code>{esc(objective)}</code>: {esc(described)}. The best point is "
        "chosen on the train "
        "split and scored on the held-out test split.</p>"
    )
    chart = sweep_heatmap(swept)
    figure = f"<figure>{chart}</figure>" if chart else '<p class="note">No axis varied.</p>'
    hidden = [name for name in axes if name not in varied]
    if hidden and varied:
        figure += (
            f'<p class="note">Not drawn: {", ".join(esc(name) for name in hidden)} (each cell '
            "shows the best point over them).</p>"
        )
    best = swept.get("best") or {}
    params = definitions([(name, esc(value)) for name, value in best.get("params", {}).items()])
    train, test = best.get("train", {}), best.get("test", {})
    rows = [
        (
            f"<strong>{esc(name)}</strong>" if name == objective else esc(name),
            fixed(train[name]) if name in train else "—",
            fixed(test[name]) if name in test else "—",
            signed(test[name] - train[name]) if name in train and name in test else "—",
        )
        for name in metric_names({**train, **test})
    ]
    best_html = (
        f"<h3>Best point</h3>{params}{table(['metric', 'train', 'test', 'test − train'], rows)}"
    )
    return section("sweep", "Sweep", intro + figure + best_html)


def _agreement_facts(agreement: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [
        ("compared with", esc(agreement.get("with", ""))),
        ("agreement", fixed(agreement.get("rate", 0.0))),
        ("Cohen's κ", fixed(agreement.get("kappa", 0.0))),
        ("turns both judged", esc(agreement.get("n", 0))),
    ]


def judge(judged: Mapping[str, Any]) -> str:
    facts = definitions(
        [
            ("model", esc(judged.get("model", ""))),
            ("prompt version", f"<code>{esc(judged.get('prompt_version', ''))}</code>"),
            *_agreement_facts(judged.get("agreement") or {}),
            *_agreement_facts(judged.get("refusal_agreement") or {}),
        ]
    )
    note = (
        '<p class="note">How often the LLM judge agrees with an exact check on the turns both '
        "scored; κ discounts the agreement expected by chance.</p>"
    )
    return section("judge", "LLM judge", note + facts)
