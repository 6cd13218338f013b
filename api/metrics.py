"""Prometheus metrics, in a registry per app (two apps in one process never share counters).

Requests are labelled by route template (`/widget/v1/chat`, not the raw path) so a
scanner hitting random URLs cannot blow up the label cardinality.

Several processes, one count: under `shopbot serve --workers N` every worker writes its
counters to files in `PROMETHEUS_MULTIPROC_DIR` (prometheus_client's multiprocess mode,
set up by cli.supervisor before the workers start), and whichever worker is scraped
reports the sum over all of them, including workers that died and were started again
(their counts stay, so a total never goes back). Without that variable, one process
reports its own registry.
"""

from __future__ import annotations

import os
import time

from prometheus_client import CollectorRegistry, Counter, Histogram, multiprocess
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from engine.answer_stages import AnswerStages
from web.http_middleware import HttpMiddleware

UNMATCHED_ROUTE = "<unmatched>"
# Fine below a second, where an answer's stages are told apart (bench.load reads them).
STAGE_BUCKETS_S = (
    0.001, 0.002, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075,
    0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1.0, 2.0, 5.0, 10.0, 30.0,
)  # fmt: skip


class ApiMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.requests = Counter(
            "shopbot_http_requests_total",
            "HTTP requests by method, route template and status code.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "shopbot_http_request_duration_seconds",
            "Time from the request to the end of its response (streams included).",
            ["method", "route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
            registry=self.registry,
        )
        self.chat_answers = Counter(
            "shopbot_chat_answers_total",
            "Widget chat answers by delivery mode (sse, json) and outcome (ok, error, cancelled, "
            "shutting_down).",
            ["mode", "outcome"],
            registry=self.registry,
        )
        self.answer_stages = Histogram(
            "shopbot_answer_stage_seconds",
            "Time of each stage of an answer up to its first token (engine.answer_stages: "
            "session, open_turn, search, prompt, model, first_sentence).",
            ["stage"],
            buckets=STAGE_BUCKETS_S,
            registry=self.registry,
        )
        self.rate_limit_rejections = Counter(
            "shopbot_rate_limit_rejections_total",
            "Requests rejected by a rate limit, by scope (`busy`: a question refused for the "
            "process's load, api/chat/admission.py).",
            ["scope"],
            registry=self.registry,
        )

    def rejected(self, scope: str) -> None:
        self.rate_limit_rejections.labels(scope=scope).inc()

    def answer_reached_first_token(self, stages: AnswerStages) -> None:
        for stage, seconds in stages.durations().items():
            self.answer_stages.labels(stage=stage).observe(seconds)


MULTIPROCESS_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"


def scraped_registry(registry: CollectorRegistry) -> CollectorRegistry:
    """What a scrape reports: `registry` (this process), or in multiprocess mode a
    registry that reads every process's files at each scrape."""
    if not os.environ.get(MULTIPROCESS_DIR_ENV):
        return registry
    every_process = CollectorRegistry()
    multiprocess.MultiProcessCollector(every_process)
    return every_process


class MetricsMiddleware(HttpMiddleware):
    def __init__(self, app: ASGIApp, *, metrics: ApiMetrics) -> None:
        super().__init__(app)
        self.metrics = metrics

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        status = 500

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            route = scope.get("route")
            template = getattr(route, "path_format", None) or getattr(route, "path", None)
            template = template or UNMATCHED_ROUTE
            method = scope.get("method", "")
            self.metrics.requests.labels(method=method, route=template, status=str(status)).inc()
            self.metrics.latency.labels(method=method, route=template).observe(
                time.perf_counter() - started
            )
