"""A local Sentry ingest endpoint: an HTTP server on 127.0.0.1 that keeps every envelope the
real sentry-sdk transport posts to `/api/<project>/envelope/`, decoded (gzip or not) into its
newline-separated JSON items."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import sentry_sdk


@dataclass
class Envelope:
    raw: bytes  # the decompressed body, as sent: what "nothing leaked" is checked against
    header: dict[str, Any]
    items: list[tuple[dict[str, Any], Any]] = field(default_factory=list)

    def events(self) -> list[dict[str, Any]]:
        return [payload for header, payload in self.items if header.get("type") == "event"]


def decode_envelope(body: bytes, content_encoding: str | None) -> Envelope:
    if content_encoding == "gzip":
        body = gzip.decompress(body)
    elif content_encoding not in (None, "", "identity"):
        raise AssertionError(f"unexpected Content-Encoding {content_encoding!r}")
    lines = body.split(b"\n")
    envelope = Envelope(raw=body, header=json.loads(lines[0]))
    position = 1
    while position < len(lines) and lines[position].strip():
        item_header = json.loads(lines[position])
        payload_line = lines[position + 1] if position + 1 < len(lines) else b""
        try:
            payload: Any = json.loads(payload_line)
        except ValueError:
            payload = payload_line
        envelope.items.append((item_header, payload))
        position += 2
    return envelope


class SentryIngest:
    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []
        self.paths: list[str] = []
        ingest = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                ingest.paths.append(self.path)
                ingest.envelopes.append(decode_envelope(body, self.headers.get("Content-Encoding")))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def dsn(self) -> str:
        return f"http://publickey@127.0.0.1:{self._server.server_port}/1"

    def start(self) -> SentryIngest:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def events(self) -> list[dict[str, Any]]:
        return [event for envelope in self.envelopes for event in envelope.events()]


@contextmanager
def local_ingest() -> Iterator[SentryIngest]:
    """A running ingest server; on exit Sentry is flushed and switched off for the rest of
    the test session (the integrations stay patched in, reporting nothing)."""
    server = SentryIngest().start()
    try:
        yield server
    finally:
        sentry_sdk.flush(timeout=5)
        sentry_sdk.get_global_scope().set_client(None)
        server.stop()
