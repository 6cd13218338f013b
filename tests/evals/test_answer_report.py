"""report.html of an answer eval, read back as a tree: every section with the numbers of the
results, the plots drawn from them, the worst turns in order, hostile text shown as text, and
nothing that could reach the network. (The browser test opens the same page in Chromium.)"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from evals.answers.html_report import write_html
from evals.answers.html_turns import worst_turns
from evals.answers.records import TurnResult
from evals.answers.sweep import point_json, sweep_json
from tests.evals.answer_results_fixture import (
    HOSTILE_ANSWER,
    HOSTILE_PROMPT,
    HOSTILE_QUESTION,
    HOSTILE_SOURCE,
    TAGS,
    WORST_CONVERSATION,
    answer_results,
)
from tests.evals.html_tree import Element, parse
from tests.support.answer_catalogue import result

SECTIONS = [
    "summary",
    "comparison",
    "metrics",
    "by-tag",
    "latency",
    "tokens",
    "sweep",
    "judge",
    "worst-turns",
]


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    return answer_results()


def _page(results: dict[str, Any], tmp_path: Path) -> tuple[Element, str]:
    path = write_html(results, tmp_path / "out" / "report.html")
    text = path.read_text(encoding="utf-8")
    return parse(text), text


@pytest.fixture
def page(results: dict[str, Any], tmp_path: Path) -> Element:
    return _page(results, tmp_path)[0]


def _section(page: Element, anchor: str) -> Element:
    return next(e for e in page.iter() if e.attrs.get("id") == anchor)


def test_every_section_is_there_in_order_and_the_nav_links_to_each(page: Element) -> None:
    anchors = [e.attrs["id"] for e in page.iter() if e.tag in {"header", "section"}]
    assert anchors == SECTIONS
    assert [a.attrs["href"] for a in page.find("nav").find_all("a")] == [f"#{s}" for s in SECTIONS]


def test_the_header_states_the_run(page: Element) -> None:
    facts = _section(page, "summary").find("dl")
    pairs = dict(
        zip(
            [dt.text() for dt in facts.find_all("dt")],
            [dd.text() for dd in facts.find_all("dd")],
            strict=True,
        )
    )
    assert page.find("h1").text() == "Answer eval: shopper-mini"
    assert pairs["catalogue"] == "demo"
    assert pairs["fingerprint"] == "9f2c4e1ab37d"
    assert (pairs["conversations"], pairs["turns"]) == ("6", "12")
    assert pairs["model"] == "platform / gpt-4o-mini"
    assert "text_weight=0.3" in pairs["retrieval"] and "top_k=5" in pairs["retrieval"]
    assert pairs["started"] == "2026-12-06T04:00:00+00:00"
    assert pairs["duration"] == "1 min 23.4 s"
    config = dict(_section(page, "summary").find("details").find("table").rows())
    assert config["chunking.overlap"] == "120"


def test_the_comparison_leads_with_its_verdict_and_its_regressions(page: Element) -> None:
    section = _section(page, "comparison")
    banner = section.find("p", class_="verdict")
    assert "bad" in banner.attrs["class"]
    assert banner.text().startswith("REGRESSION against eval-reports/2026-12-01/results.json")
    assert "grounded (follow_up)" in banner.text() and "0.020" in banner.text()
    rows = section.find("table").rows()
    assert [row[-1] for row in rows] == ["REGRESSION", "REGRESSION", "improved", "ok"]
    assert rows[0] == [
        "grounded",
        "follow_up",
        "0.950",
        "0.750",
        "-0.200",
        "[-0.450, -0.050]",
        "4",
        "REGRESSION",
    ]
    assert rows[3][:2] == ["hit@1", "all"]
    statuses = section.find_all("span", class_="status")
    assert [s.attrs["class"] for s in statuses][:3] == ["status bad", "status bad", "status good"]


def test_no_regression_says_so(results: dict[str, Any], tmp_path: Path) -> None:
    calm = copy.deepcopy(results)
    calm["comparison"]["regressed"] = False
    calm["comparison"]["rows"] = [r for r in calm["comparison"]["rows"] if r["status"] == "ok"]
    page, _ = _page(calm, tmp_path)
    banner = _section(page, "comparison").find("p", class_="verdict")
    assert banner.attrs["class"] == "verdict good"
    assert banner.text().startswith("No regression against eval-reports/2026-12-01")


def test_the_metrics_table_prints_each_mean_interval_and_n(
    page: Element, results: dict[str, Any]
) -> None:
    rows = {row[0]: row[1:] for row in _section(page, "metrics").find("table").rows()}
    assert set(rows) == set(results["metrics"])
    for name, report in results["metrics"].items():
        overall = report["overall"]
        assert rows[name] == [
            f"{overall['value']:.3f}",
            f"[{overall['low']:.3f}, {overall['high']:.3f}]",
            str(overall["n"]),
        ]
    assert list(rows)[:4] == ["hit@1", "hit@5", "mrr", "ndcg@5"]


def test_each_metric_has_a_plot_of_its_tags_with_turns(
    page: Element, results: dict[str, Any]
) -> None:
    plots = _section(page, "by-tag").find_all("svg", class_="metric-plot")
    assert [p.attrs["data-metric"] for p in plots] == list(
        _section(page, "metrics").find("table").rows()[i][0] for i in range(len(plots))
    )
    for plot in plots:
        report = results["metrics"][plot.attrs["data-metric"]]
        labels = [t.text() for t in plot.find_all("text") if t.attrs.get("text-anchor") == "end"]
        with_turns = [tag for tag in TAGS if report["by_tag"][tag]["n"] > 0]
        assert labels == ["all", *with_turns]
        assert len(plot.find_all("circle", class_="dot")) == len(labels)
        assert len(plot.find_all("line", class_="whisker")) == len(labels)
        # The overall mean's dot sits at value x 240 px right of the axis' 0 (120 px).
        dot = plot.find("circle", class_="dot")
        assert float(dot.attrs["cx"]) == pytest.approx(
            120 + 240 * report["overall"]["value"], abs=0.1
        )


def test_compared_metrics_carry_the_baseline_as_a_hollow_marker(
    page: Element, results: dict[str, Any]
) -> None:
    rows = results["comparison"]["rows"]
    for plot in _section(page, "by-tag").find_all("svg", class_="metric-plot"):
        metric = plot.attrs["data-metric"]
        expected = [r for r in rows if r["metric"] == metric]
        markers = plot.find_all("circle", class_="baseline-dot")
        assert len(markers) == len(expected)
        assert all(m.attrs["fill"] == "none" for m in markers)
        shown = {m.text() for m in markers}
        assert shown == {
            f"baseline {metric} · {r['tag'] or 'all'}: {r['baseline']:.3f}" for r in expected
        }


def test_the_latency_histogram_has_a_bar_per_bin_and_its_quantiles(
    page: Element, results: dict[str, Any]
) -> None:
    section = _section(page, "latency")
    plot = section.find("svg", class_="latency-plot")
    histogram = results["latency"]["histogram"]
    bars = plot.find_all("rect", class_="bar")
    assert len(bars) == len(histogram["counts"])
    assert [int(b.text().split(": ")[1].split()[0]) for b in bars] == histogram["counts"]
    quantiles = plot.find_all("line", class_="quantile")
    assert len(quantiles) == 2
    # p50 (240 ms) falls inside the bin whose edges hold it.
    p50 = results["latency"]["p50_ms"]
    edges = histogram["edges_ms"]
    holder = next(i for i in range(len(edges) - 1) if edges[i] <= p50 < edges[i + 1])
    left = float(bars[holder].attrs["x"])
    assert left <= float(quantiles[0].attrs["x1"]) <= left + float(bars[holder].attrs["width"])
    assert "p95 2,900 ms" in plot.text()
    assert "5,000" in plot.text() and "50" in plot.text()


def test_tokens_and_cost(page: Element, results: dict[str, Any]) -> None:
    rows = dict(_section(page, "tokens").find("table").rows())
    tokens = results["tokens"]
    assert rows["prompt tokens"] == f"{tokens['prompt']:,}"
    assert rows["total tokens"] == f"{tokens['prompt'] + tokens['completion']:,}"
    assert rows["cost"] == f"${tokens['cost_usd']:.4f}"


def test_the_sweep_heat_map_shows_the_best_test_score_per_cell(
    page: Element, results: dict[str, Any]
) -> None:
    sweep = results["sweep"]
    plot = _section(page, "sweep").find("svg", class_="sweep-plot")
    cells = plot.find_all("rect", class_="cell")
    # chunk_size x text_weight (top_k has one value; candidates is the third varied axis).
    assert len(cells) == 2 * 3
    for cell in cells:
        label, shown = cell.text().rsplit(": ", 1)
        params = dict(part.split("=") for part in label.split())
        best = max(
            p["test"][sweep["objective_key"]]
            for p in sweep["points"]
            if str(p["params"]["chunk_size"]) == params["chunk_size"]
            and str(p["params"]["text_weight"]) == params["text_weight"]
        )
        assert shown == f"{best:.3f}"
    outline = plot.find("rect", class_="best")
    best_params = sweep["best"]["params"]
    outlined = next(
        c
        for c in cells
        if float(c.attrs["x"]) + 1.5 == float(outline.attrs["x"])
        and float(c.attrs["y"]) + 1.5 == float(outline.attrs["y"])
    )
    assert outlined.text().startswith(
        f"chunk_size={best_params['chunk_size']} text_weight={best_params['text_weight']}:"
    )
    assert "test objective" in plot.find("g", class_="legend").text()
    train_test = {row[0]: row[1:] for row in _section(page, "sweep").find("table").rows()}
    assert train_test["objective"][:2] == [
        f"{sweep['best']['train']['objective']:.3f}",
        f"{sweep['best']['test']['objective']:.3f}",
    ]


def test_a_sweep_of_one_axis_is_one_row_and_of_none_has_no_map(
    results: dict[str, Any], tmp_path: Path
) -> None:
    narrow = copy.deepcopy(results)
    narrow["sweep"]["axes"] = {"text_weight": [0.0, 0.3, 0.6], "chunk_size": [400]}
    page, _ = _page(narrow, tmp_path / "one")
    assert len(page.find_all("rect", class_="cell")) == 3
    narrow["sweep"]["axes"] = {"chunk_size": [400]}
    page, _ = _page(narrow, tmp_path / "none")
    assert page.find_all("svg", class_="sweep-plot") == []
    assert "No axis varied" in _section(page, "sweep").text()


def test_the_judge_agreement(page: Element) -> None:
    text = _section(page, "judge").text()
    for shown in ("gpt-4o-mini", "judge-v1", "grounded", "0.833", "0.615", "refusal_detection"):
        assert shown in text


def test_the_worst_turns_come_lowest_mean_first(page: Element, results: dict[str, Any]) -> None:
    articles = _section(page, "worst-turns").find_all("article", class_="turn")
    assert len(articles) == 12  # fewer turns than 20: all of them
    first = articles[0]
    assert (
        first.find("h3").text().startswith(f"#1 · {WORST_CONVERSATION} turn 0 · mean score 0.000")
    )
    assert first.find("div", class_="question").text() == HOSTILE_QUESTION
    assert first.find("div", class_="answer").text() == HOSTILE_ANSWER
    assert first.find("table", class_="sources").rows()[0] == [
        "1",
        "product",
        "188",
        "0.820",
        HOSTILE_SOURCE,
    ]
    prompt = first.find("details")
    assert prompt.find("summary").text() == "Prompt (2 messages)"
    assert [p.text() for p in prompt.find_all("pre")][1] == HOSTILE_PROMPT
    means = [float(a.find("h3").text().rsplit(" ", 1)[1]) for a in articles]
    assert means == sorted(means)
    scores = dict(first.find("table", class_="scores").rows())
    assert scores == {name: "0.000" for name in results["turns"][6]["scores"]}


def test_only_twenty_turns_are_shown_ties_by_conversation_then_index(
    results: dict[str, Any], tmp_path: Path
) -> None:
    many = copy.deepcopy(results)
    template = many["turns"][0]
    many["turns"] = [
        {**template, "conversation": f"c-{n % 7:02d}", "index": n, "scores": {"grounded": 0.5}}
        for n in range(30, 0, -1)
    ]
    picked = worst_turns(many["turns"])
    assert len(picked) == 20
    keys = [(t["conversation"], t["index"]) for t in picked]
    assert keys == sorted(keys)
    page, _ = _page(many, tmp_path)
    headings = [a.find("h3").text() for a in page.find_all("article", class_="turn")]
    assert len(headings) == 20
    assert headings[0].startswith(f"#1 · {keys[0][0]} turn {keys[0][1]} ·")


def test_hostile_text_is_shown_as_text_and_nothing_reaches_out(
    results: dict[str, Any], tmp_path: Path
) -> None:
    page, text = _page(results, tmp_path)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert HOSTILE_ANSWER not in text
    tags = {element.tag for element in page.iter()}
    assert not tags & {"script", "img", "link", "iframe", "object", "embed", "form", "base"}
    for element in page.iter():
        for name, value in element.attrs.items():
            assert not name.startswith("on"), (element.tag, name)
            if name in {"src", "href", "xlink:href", "action", "srcset", "xmlns"}:
                assert value.startswith("#"), (element.tag, name, value)
            assert "http://" not in value and "https://" not in value, (element.tag, name)
    assert all(a.attrs["href"].startswith("#") for a in page.find_all("a"))
    # The URLs of the hostile texts are there, as text only.
    assert "https://evil.example/phish" in page.text()
    policy = page.find("meta", **{"http-equiv": "Content-Security-Policy"}).attrs["content"]
    assert "default-src 'none'" in policy and "script-src 'none'" in policy


def test_without_baseline_sweep_or_judge_those_parts_are_left_out(
    results: dict[str, Any], tmp_path: Path
) -> None:
    bare = copy.deepcopy(results)
    bare.update(comparison=None, sweep=None, judge=None)
    bare["tokens"]["cost_usd"] = None
    bare["latency"]["histogram"] = {"edges_ms": [], "counts": []}
    page, _ = _page(bare, tmp_path)
    anchors = [e.attrs["id"] for e in page.iter() if e.tag in {"header", "section"}]
    assert anchors == [s for s in SECTIONS if s not in {"comparison", "sweep", "judge"}]
    assert page.find_all("circle", class_="baseline-dot") == []
    assert dict(_section(page, "tokens").find("table").rows())["cost"] == "not priced"
    assert "no latencies recorded" in _section(page, "latency").text()


def test_a_sweep_as_the_sweep_writes_it_fills_every_cell(
    results: dict[str, Any], tmp_path: Path
) -> None:
    """The heat map reads the block `evals.answers.sweep.sweep_json` writes (its objective is
    a description; the points hold the number under `objective_key`), not a hand-made one."""
    grid: dict[str, list[Any]] = {"text_weight": [0.0, 0.3], "top_k": [3, 5]}

    def scored(hit: float, quoted: float) -> TurnResult:
        return result(scores={"hit@5": hit, "facts_quoted": quoted, "citation_recall": 1.0})

    points = [
        point_json(
            {"text_weight": weight, "top_k": top_k},
            [scored(weight + top_k / 10, 0.5)],
            [scored(weight + top_k / 20, 0.5)],
        )
        for weight in grid["text_weight"]
        for top_k in grid["top_k"]
    ]
    swept = copy.deepcopy(results)
    swept["sweep"] = sweep_json(grid, points)
    plot = _section(_page(swept, tmp_path)[0], "sweep").find("svg", class_="sweep-plot")
    shown = [cell.text().rsplit(": ", 1)[1] for cell in plot.find_all("rect", class_="cell")]
    expected = sorted(f"{p['test']['objective']:.3f}" for p in points)
    assert sorted(shown) == expected and "–" not in shown
