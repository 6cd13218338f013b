"""Prometheus metrics, in a registry per app (two apps in one process never share counters).

Requests are labelled by route template (`/widget/v1/chat`, not the raw path) so a
scanner hitting random URLs cannot blow up the label cardinality.
"""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.http_middleware import HttpMiddleware

UNMATCHED_ROUTE = "<unmatched>"


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
        self.rate_limit_rejections = Counter(
            "shopbot_rate_limit_rejections_total",
            "Requests rejected by a rate limit, by scope (`busy`: a question refused for the "
            "process's load, api/chat/admission.py).",
            ["scope"],
            registry=self.registry,
        )

    def rejected(self, scope: str) -> None:
        self.rate_limit_rejections.labels(scope=scope).inc()


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
