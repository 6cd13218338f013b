"""bench.load's report: each measure alone and under the busy hour, side by side."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from bench.load_shoppers import ChatRun, Hold
from bench.load_stages import StageTimes
from bench.load_sync import SyncWatch, WebhookResult
from bench.widget_measure import pct
from engine.answer_stages import STAGES

OVERHEAD_P95_GOAL_MS = 100.0
SYNC_RATIO_GOAL = 0.7
WEBHOOK_GOAL_S = 5.0
MIB = 1024 * 1024


@dataclass
class Measured:
    """Everything one run measured; `None` where a part could not be measured."""

    setup: dict[str, Any]
    chat_alone: ChatRun
    chat_busy: ChatRun
    hold_alone: Hold
    hold_busy: Hold
    sync_alone: tuple[float, int, float] | None  # products/s, products, seconds
    sync_busy: tuple[float, int, float] | None
    sync: SyncWatch
    webhook: WebhookResult | None
    load: tuple[str, str]  # load average at the start and the end
    cpu_alone: dict[str, float]  # cores each part used during the chat phase (bench.load_cpu)
    cpu_busy: dict[str, float]
    # the API's answer stages during each chat phase (bench.load_stages)
    stages_alone: dict[str, StageTimes]
    stages_busy: dict[str, StageTimes]


def row(label: str, alone: str, busy: str, ratio: str = "", goal: str = "") -> str:
    return f"  {label:<34}{alone:>26}  {busy:>26}  {ratio:>7}  {goal}"


def _pcts(values: list[float]) -> str:
    if not values:
        return "n/a"
    return " / ".join(f"{pct(values, p):.0f}" for p in (50, 95, 99))


def _errors(errors: Counter[str]) -> str:
    return ", ".join(f"{kind}: {n}" for kind, n in sorted(errors.items())) or "0"


def _verdict(good: bool) -> str:
    return "PASS" if good else "FAIL"


def _sync_text(rate: tuple[float, int, float] | None) -> str:
    return "n/a" if rate is None else f"{rate[0]:.1f}/s ({rate[1]} in {rate[2]:.0f} s)"


def _hold_text(hold: Hold) -> str:
    if not hold.opened:
        return "n/a (no stream open)"
    return f"{hold.per_stream_kib:.0f} KiB ({hold.opened}/{hold.streams} open)"


def _other_errors(run: ChatRun) -> int:
    return sum(n for kind, n in run.errors.items() if not kind.startswith("429"))


def _header(m: Measured) -> list[str]:
    s = m.setup
    return [
        "",
        f"Load benchmark: {s['tenants']} tenants, {s['shoppers']} shoppers pausing "
        f"{s['think']:.0f} s (0.5x-1.5x) between messages, {s['duration']:.0f} s a phase",
        f"  {s['api_processes']} API process(es){s['api_note']}, "
        + (
            f"questions refused (429 busy) past {s['busy_lag_ms']:g} ms of loop lag"
            if s["busy_lag_ms"]
            else "no load shedding"
        )
        + (f", at most {s['max_answers']} answers in flight each" if s["max_answers"] else "")
        + "; `shopbot worker` "
        f"--concurrency {s['worker_concurrency']}; its own Redis; full sync of "
        f"{s['listed']} products",
        f"  model: first token after {s['first_token_ms']:.0f} ms, then one every "
        f"{s['token_ms']:.0f} ms; embeddings: text-embedding-3-small (the fake)",
        f"  load average (1/5/15 min): start {m.load[0]}, end {m.load[1]}; "
        f"{s['cpus']} CPUs; run {s['seconds']:.0f} s",
    ]


def report(m: Measured) -> str:
    lines = [
        *_header(m),
        "",
        row("measure", "alone", "busy hour", "ratio", "goal"),
        row("-" * 34, "-" * 26, "-" * 26, "-" * 7, "-" * 30),
    ]
    a, b = m.chat_alone, m.chat_busy
    ratio = f"{b.rps / a.rps:.2f}" if a.rps else ""
    lines.append(row("chat requests/s (SSE, completed)", f"{a.rps:.1f}", f"{b.rps:.1f}", ratio))
    lines.append(
        row(
            "  answers (completed / asked)",
            f"{a.completed}/{len(a.asks)}",
            f"{b.completed}/{len(b.asks)}",
        )
    )
    lines.append(row("first token, client ms p50/95/99", _pcts(a.client_ms), _pcts(b.client_ms)))
    lines.append(row("  model's own first sentence ms", _pcts(a.model_ms), _pcts(b.model_ms)))
    p95 = pct(b.overhead_ms, 95) if b.overhead_ms else float("inf")
    lines.append(
        row(
            "first-token overhead ms p50/95/99",
            _pcts(a.overhead_ms),
            _pcts(b.overhead_ms),
            "",
            f"p95 <= {OVERHEAD_P95_GOAL_MS:.0f} busy: {_verdict(p95 <= OVERHEAD_P95_GOAL_MS)}",
        )
    )
    lines += _stage_lines(m)
    lines.append(
        row(
            "errors by kind",
            _errors(a.errors),
            _errors(b.errors),
            "",
            f"0 but 429: {_verdict(_other_errors(a) == _other_errors(b) == 0)}",
        )
    )
    lines += _memory_lines(m)
    lines += _sync_lines(m)
    lines += _cpu_lines(m)
    return "\n".join(lines)


def _stage_lines(m: Measured) -> list[str]:
    """The API's own account of each answer's stages (engine.answer_stages), p50 / p95
    estimated from its histogram's buckets."""
    lines = [row("  in the API, ms p50 / p95 (n)", "", "")]
    for stage in STAGES:
        alone, busy = m.stages_alone.get(stage), m.stages_busy.get(stage)
        if alone is None and busy is None:
            continue
        lines.append(row(f"    {stage} stage", _stage_text(alone), _stage_text(busy)))
    return lines


def _stage_text(times: StageTimes | None) -> str:
    if times is None:
        return "n/a"
    return f"{times.p50_ms:.1f} / {times.p95_ms:.1f} ({times.count})"


def _cpu_lines(m: Measured) -> list[str]:
    """The cores each part used while the shoppers asked: how much of the machine the
    API, PostgreSQL and the worker had beside the bench's own processes."""
    cpus = m.setup["cpus"]
    lines = [row(f"cores used (of {cpus}) while chatting", "alone", "busy hour")]
    parts = sorted(set(m.cpu_alone) | set(m.cpu_busy), key=lambda r: -m.cpu_busy.get(r, 0.0))
    for part in parts:
        lines.append(
            row(
                f"  {part}", f"{m.cpu_alone.get(part, 0.0):.2f}", f"{m.cpu_busy.get(part, 0.0):.2f}"
            )
        )
    lines.append(
        row("  all", f"{sum(m.cpu_alone.values()):.2f}", f"{sum(m.cpu_busy.values()):.2f}")
    )
    return lines


def _memory_lines(m: Measured) -> list[str]:
    ha, hb = m.hold_alone, m.hold_busy
    return [
        row(
            "memory per open stream",
            _hold_text(ha),
            _hold_text(hb),
            "",
            # With a cap the burst opens only the slots, too few streams to weigh one.
            "RSS of the API" if not m.setup["max_answers"] else "capped: --max-answers 0",
        ),
        row(
            "  API RSS idle -> all open, MiB",
            f"{ha.idle_rss / MIB:.0f} -> {ha.open_rss / MIB:.0f}",
            f"{hb.idle_rss / MIB:.0f} -> {hb.open_rss / MIB:.0f}",
            "",
            "processes + children",
        ),
        row("  seconds to open them all", f"{ha.seconds_to_open:.1f}", f"{hb.seconds_to_open:.1f}"),
        row("  burst errors", _errors(ha.errors), _errors(hb.errors)),
    ]


def _sync_lines(m: Measured) -> list[str]:
    ratio = ""
    good = False
    if m.sync_alone and m.sync_busy:
        value = m.sync_busy[0] / m.sync_alone[0]
        ratio, good = f"{value:.2f}", value >= SYNC_RATIO_GOAL
    sync_status = f"job {m.sync.status}, {m.sync.processed}/{m.sync.total} at the end"
    if m.sync.error:
        sync_status += f", error: {m.sync.error[:80]}"
    lines = [
        row(
            "full sync throughput, products/s",
            _sync_text(m.sync_alone),
            _sync_text(m.sync_busy),
            ratio,
            f">= {SYNC_RATIO_GOAL} of alone: {_verdict(good)}",
        ),
        row("  sync job", "", sync_status),
    ]
    w = m.webhook
    if w is None:
        lines.append(row("webhook price change visible", "", "not sent", "", "FAIL"))
    else:
        seen = "never" if w.seconds is None else f"{w.seconds:.2f} s"
        during = "during the sync" if w.sync_running else "AFTER the sync"
        ok = w.seconds is not None and w.seconds <= WEBHOOK_GOAL_S and w.sync_running
        lines.append(
            row(
                "webhook price change -> answer",
                "",
                f"{seen} ({w.polls} asks)",
                "",
                f"<= {WEBHOOK_GOAL_S:.0f} s {during}: {_verdict(ok)}",
            )
        )
        lines.append(row("  the API's answer to the delivery", "", w.delivered))
    return lines
