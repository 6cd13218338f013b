"""Shoppers of a real `shopbot serve`: a tenant made by the CLI, widget sessions from
addresses of their own (X-Forwarded-For, trusted from 127.0.0.1 as behind a proxy, so the
per-address limits do not pool every test shopper), chat requests, and the SSE body read
strictly."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.cli.serving import run_shopbot

ORIGIN = "https://shop.workers.test"
STREAM_EVENTS = {"token", "replace", "sources", "done", "error"}
FINAL_EVENTS = {"done", "error"}


def create_tenant(env: dict[str, str], name: str, *extra: str) -> dict[str, str]:
    """`shopbot tenants create --json`: tenant_id, bot_id and widget_key."""
    created = run_shopbot(
        "tenants", "create", "--name", name, "--allowed-origin", ORIGIN, "--json", *extra, env=env
    )
    assert created.returncode == 0, created.stderr
    tenant: dict[str, str] = json.loads(created.stdout)
    return tenant


def shopper_address(index: int) -> str:
    return f"198.51.{100 + index // 250}.{1 + index % 250}"


async def open_session(client: httpx.AsyncClient, base: str, widget_key: str, address: str) -> str:
    response = await client.post(
        f"{base}/widget/v1/sessions",
        json={"widget_key": widget_key},
        headers={"Origin": ORIGIN, "X-Forwarded-For": address},
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["session_token"]
    return token


def chat_headers(token: str, address: str, *, stream: bool) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}", "Origin": ORIGIN, "X-Forwarded-For": address}
    if stream:
        headers["Accept"] = "text/event-stream"
    return headers


@dataclass
class SseBody:
    """An SSE body parsed strictly: every block ends with the blank line (nothing cut
    mid-event), is a comment (heartbeat) or one named event with one JSON object."""

    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @property
    def last(self) -> tuple[str, dict[str, Any]]:
        return self.events[-1]


def parse_sse(raw: bytes) -> SseBody:
    text = raw.decode("utf-8")
    text = text.replace("\r\n", "\n")
    assert text.endswith("\n\n"), f"the body ends inside an event: {text[-200:]!r}"
    body = SseBody()
    for block in text[:-2].split("\n\n"):
        lines = block.split("\n")
        if all(line.startswith(":") for line in lines):
            continue  # a heartbeat
        names = [line.removeprefix("event: ") for line in lines if line.startswith("event: ")]
        data = [line.removeprefix("data: ") for line in lines if line.startswith("data: ")]
        assert len(names) == 1 and len(data) == 1 and len(lines) == 2, f"malformed: {block!r}"
        assert names[0] in STREAM_EVENTS, f"unknown event {names[0]!r}"
        payload = json.loads(data[0])
        assert isinstance(payload, dict)
        body.events.append((names[0], payload))
    assert body.events, "no event at all"
    finals = [index for index, (name, _) in enumerate(body.events) if name in FINAL_EVENTS]
    assert finals == [len(body.events) - 1], f"not one final event, last: {body.events}"
    return body
