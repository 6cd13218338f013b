"""The report's worst turns: what was asked, what came back, how each metric scored it, what
retrieval handed the model and the prompt it saw, so a reader can tell why it went wrong.

Everything here is untrusted text (the shopper's question, the model's answer, catalogue
chunks, the prompt), escaped and shown as text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from evals.answers.html_kit import definitions, esc, fixed, flatten, metric_names, table
from evals.answers.html_sections import section
from evals.metrics import mean

WORST = 20


def _mean_score(turn: Mapping[str, Any]) -> float:
    return mean([float(v) for v in turn["scores"].values()])


def worst_turns(turns: Sequence[Mapping[str, Any]], limit: int = WORST) -> list[Mapping[str, Any]]:
    """The `limit` turns with the lowest mean score, ties broken by conversation then index
    (so the list is the same run to run). A turn no metric applied to has no mean and is
    not ranked."""
    scored = [turn for turn in turns if turn.get("scores")]
    return sorted(scored, key=lambda t: (_mean_score(t), str(t["conversation"]), t["index"]))[
        :limit
    ]


def _chips(values: Sequence[Any], css: str) -> str:
    if not values:
        return '<span class="none">none</span>'
    return "".join(f'<span class="chip {css}">{esc(v)}</span>' for v in values)


def _scores(scores: Mapping[str, Any]) -> str:
    rows = [
        (
            esc(name),
            f'<span class="{"low" if float(scores[name]) < 0.5 else "high"}">'
            f"{fixed(scores[name])}</span>",
        )
        for name in metric_names(scores)
    ]
    return table(["metric", "score"], rows, css="scores")


def _retrieved(items: Sequence[Mapping[str, Any]]) -> str:
    if not items:
        return '<p class="none">Retrieval returned nothing.</p>'
    rows = [
        (
            str(rank),
            esc(item.get("kind", "")),
            esc(item.get("ref", "")),
            fixed(item.get("score", 0.0)),
            f'<div class="text">{esc(item.get("text", ""))}</div>',
        )
        for rank, item in enumerate(items, start=1)
    ]
    return table(["#", "kind", "ref", "score", "text"], rows, css="sources", numeric_from=5)


def _prompt(messages: Sequence[Mapping[str, Any]]) -> str:
    shown = "".join(
        f'<div class="message"><div class="role">{esc(m.get("role", ""))}</div>'
        f'<pre class="text">{esc(m.get("content", ""))}</pre></div>'
        for m in messages
    )
    if not shown:
        shown = '<p class="none">No prompt recorded.</p>'
    return f"<details><summary>Prompt ({len(messages)} messages)</summary>{shown}</details>"


def _turn(rank: int, turn: Mapping[str, Any]) -> str:
    heading = (
        f"<h3>#{rank} · {esc(turn['conversation'])} turn {esc(turn['index'])} · "
        f"mean score {fixed(_mean_score(turn))}</h3>"
    )
    facts = [
        ("tags", _chips(turn.get("tags", []), "tag")),
        ("status", esc(turn.get("status", ""))),
        ("latency", f"{fixed(turn.get('latency_ms', 0.0), 1)} ms"),
        ("product cards", _chips(turn.get("cards", []), "card")),
        ("document cards", _chips(turn.get("documents", []), "card")),
    ]
    if turn.get("rewritten_query"):
        facts.append(("rewritten query", esc(turn["rewritten_query"])))
    if turn.get("judge"):
        facts.append(("judge", "; ".join(f"{esc(k)}: {esc(v)}" for k, v in flatten(turn["judge"]))))
    return (
        f'<article class="turn" id="turn-{rank}">{heading}'
        f'<div class="exchange"><h4>Question</h4><div class="text question">'
        f"{esc(turn.get('message', ''))}</div>"
        f'<h4>Answer</h4><div class="text answer">{esc(turn.get("answer", ""))}</div></div>'
        f'<div class="turn-facts">{definitions(facts)}{_scores(turn["scores"])}</div>'
        f"<h4>Retrieved sources</h4>{_retrieved(turn.get('retrieved', []))}"
        f"{_prompt(turn.get('prompt', []))}</article>"
    )


def worst_turns_section(turns: Sequence[Mapping[str, Any]]) -> str:
    worst = worst_turns(turns)
    unscored = sum(1 for turn in turns if not turn.get("scores"))
    note = (
        f'<p class="note">The {len(worst)} turns with the lowest mean of their scores (ties: '
        "conversation, then turn index)"
        + (f"; {unscored} turns no metric applied to are not ranked" if unscored else "")
        + ".</p>"
    )
    body = "".join(_turn(rank, turn) for rank, turn in enumerate(worst, start=1))
    return section("worst-turns", f"The {WORST} worst turns", note + body)
