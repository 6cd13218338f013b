"""Injectable, seeded faults: what shared hosting, CDNs and plugins do to a store's API."""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Literal

FaultKind = Literal["rate_limit", "server_error", "slow", "truncate", "disconnect", "drop_items"]


@dataclass
class Fault:
    """One rule. It applies to requests whose REST route matches `route` (a regex search).

    Which of those it hits: the request numbers in `on_requests` (1-based, counted per
    rule), else the `first` N, else each with `probability` (seeded), else every one.

    - rate_limit: 429 with `Retry-After: <retry_after>` and a CDN-style HTML body.
    - server_error: 500 with WordPress's "critical error" REST body.
    - slow: waits `delay_s` before answering (normally; a client timeout makes it a timeout).
    - truncate: 200 with the JSON body cut in half (a PHP fatal error mid-output).
    - disconnect: sends headers and half the body, then drops the connection.
    - drop_items: before serving a products page, trashes `drop_count` products that were
      on earlier pages, so everything after them shifts forward by that many places.
    """

    kind: FaultKind
    route: str = r"^/wc/v3/products$"
    on_requests: Collection[int] | None = None
    first: int | None = None
    probability: float | None = None
    retry_after: str | None = "1"
    delay_s: float = 0.5
    drop_count: int = 5
    seen: int = field(default=0, init=False)
    fired: int = field(default=0, init=False)

    def matches(self, route: str) -> bool:
        return re.search(self.route, route) is not None

    def decide(self, rng: random.Random) -> bool:
        self.seen += 1
        if self.on_requests is not None:
            hit = self.seen in self.on_requests
        elif self.first is not None:
            hit = self.seen <= self.first
        elif self.probability is not None:
            hit = rng.random() < self.probability
        else:
            hit = True
        if hit:
            self.fired += 1
        return hit


class FaultPlan:
    def __init__(self, seed: int = 0) -> None:
        self._rng = random.Random(seed)
        self._rules: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._rules.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def triggered(self, route: str) -> list[Fault]:
        with self._lock:
            return [rule for rule in self._rules if rule.matches(route) and rule.decide(self._rng)]


RATE_LIMIT_BODY = (
    "<!DOCTYPE html><html><head><title>429 Too Many Requests</title></head>"
    "<body><h1>Too Many Requests</h1>"
    "<p>You have sent too many requests in a given amount of time.</p>"
    "</body></html>"
)
CRITICAL_ERROR = {
    "code": "internal_server_error",
    "message": "<p>There has been a critical error on this website.</p>"
    '<p><a href="https://wordpress.org/documentation/article/faq-troubleshooting/">'
    "Learn more about troubleshooting WordPress.</a></p>",
    "data": {"status": 500},
    "additional_errors": [],
}
