"""Driving the widget like a shopper, through its documented test ids (widget/README.md)."""

from __future__ import annotations

import json
from typing import Any

# Answers carry a message id; the greeting (also an assistant message in state "done")
# does not, so this never matches the greeting.
ANSWER = '[data-testid="shopbot-message"][data-role="assistant"][data-message-id]'
STREAMING = '[data-testid="shopbot-message"][data-role="assistant"][data-state="streaming"]'

# Inside the open shadow root: which widget element has focus (by test id), if any.
ACTIVE_TEST_ID = """() => {
  const host = document.querySelector('[data-shopbot]');
  const active = host && host.shadowRoot && host.shadowRoot.activeElement;
  return active ? active.getAttribute('data-testid') : null;
}"""


# Added to every page before its scripts run: a transparent tee of each chat response body,
# so a test can read the SSE events and when each network chunk arrived (the DevTools
# protocol keeps no body for a fetch stream the page consumed itself).
RECORD_CHAT_STREAMS = """(() => {
  const original = window.fetch;
  const streams = (window.__shopbotChatStreams = []);
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : input.url;
    const promise = original.apply(this, arguments);
    if (!/\\/widget\\/v1\\/chat$/.test(url)) return promise;
    return promise.then((response) => {
      if (!response.body) return response;
      const [mine, theirs] = response.body.tee();
      const record = { status: response.status, chunks: [], done: false };
      streams.push(record);
      const reader = mine.getReader();
      const decoder = new TextDecoder();
      const pump = () => reader.read().then(({ done, value }) => {
        if (done) { record.done = true; return; }
        record.chunks.push({ t: performance.now(), text: decoder.decode(value, { stream: true }) });
        return pump();
      });
      pump();
      return new Response(theirs, {
        status: response.status, statusText: response.statusText, headers: response.headers,
      });
    });
  };
})();"""


# Records, on every animation frame until the answer is done, the newest answer's state,
# text, typing indicator and the log's aria-busy, whenever any of them changed.
WATCH_FRAMES = """() => {
  const root = document.querySelector('[data-shopbot]').shadowRoot;
  const frames = (window.__shopbotFrames = []);
  const before = root.querySelectorAll('[data-testid=shopbot-message][data-role=assistant]').length;
  const tick = () => {
    const all = root.querySelectorAll('[data-testid=shopbot-message][data-role=assistant]');
    const node = all.length > before ? all[all.length - 1] : null;
    if (node) {
      const frame = {
        t: performance.now(),
        state: node.getAttribute('data-state'),
        text: node.querySelector('[data-testid=shopbot-message-text]').textContent,
        typing: !!node.querySelector('[data-testid=shopbot-typing]'),
        busy: root.querySelector('[data-testid=shopbot-log]').getAttribute('aria-busy'),
      };
      const last = frames[frames.length - 1];
      const changed = ['state', 'text', 'typing', 'busy'].some((k) => last?.[k] !== frame[k]);
      if (!last || changed) frames.push(frame);
      if (frame.state === 'done') return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""


async def watch_frames(page: Any) -> None:
    await page.evaluate(WATCH_FRAMES)


async def frames(page: Any) -> list[dict[str, Any]]:
    """The frames the watcher recorded, up to and including the answer's `done` frame: the
    answer's locator can report `done` before the watcher's next animation frame records it
    (a loaded machine showed the race), so wait for that frame first."""
    await page.wait_for_function(
        "() => (window.__shopbotFrames || []).some((frame) => frame.state === 'done')",
        timeout=10_000,
    )
    return await page.evaluate("() => window.__shopbotFrames")


async def chat_streams(page: Any) -> list[dict[str, Any]]:
    """Every chat response body the page received:
    `{"status", "chunks": [{"t","text"}], "done"}`."""
    return await page.evaluate("() => window.__shopbotChatStreams")


async def wait_for_launcher(page: Any) -> Any:
    launcher = page.get_by_test_id("shopbot-launcher")
    await launcher.wait_for(state="visible")
    return launcher


async def open_widget(page: Any) -> None:
    launcher = await wait_for_launcher(page)
    if await launcher.get_attribute("aria-expanded") != "true":
        await launcher.click()
    await page.get_by_test_id("shopbot-panel").wait_for(state="visible")


async def send(page: Any, text: str) -> None:
    """Type the question and press Enter, as a shopper does."""
    box = page.get_by_test_id("shopbot-input")
    await box.fill(text)
    await box.press("Enter")


async def ask(page: Any, text: str, *, nth_answer: int = 0) -> tuple[Any, list[tuple[str, Any]]]:
    """Send `text`, wait for the answer (`data-state=done` with a message id); returns the
    answer's locator and the SSE events of its chat response."""
    before = len(await chat_streams(page))
    await send(page, text)
    answer = page.locator(ANSWER).nth(nth_answer)
    await answer.wait_for(state="visible")
    streams = await chat_streams(page)
    assert len(streams) == before + 1, "one chat request per question"
    stream = streams[-1]
    assert stream["status"] == 200 and stream["done"], stream
    return answer, sse_events("".join(chunk["text"] for chunk in stream["chunks"]))


def sse_events(body: str) -> list[tuple[str, Any]]:
    events = []
    for block in body.replace("\r\n", "\n").split("\n\n"):
        fields: dict[str, str] = {}
        for line in block.split("\n"):
            if line and not line.startswith(":") and ":" in line:
                name, _, value = line.partition(":")
                fields[name] = value[1:] if value.startswith(" ") else value
        if "event" in fields:
            events.append((fields["event"], json.loads(fields.get("data", "null"))))
    return events


async def active_test_id(page: Any) -> str | None:
    return await page.evaluate(ACTIVE_TEST_ID)


async def stored_conversation(page: Any, widget_key: str) -> dict[str, Any] | None:
    raw = await page.evaluate("key => sessionStorage.getItem(key)", f"shopbot:{widget_key}")
    return json.loads(raw) if raw else None


async def settle_images(page: Any) -> None:
    """Wait until every image in the widget has loaded and decoded (or failed), and painted."""
    await page.evaluate("""async () => {
      const root = document.querySelector('[data-shopbot]').shadowRoot;
      const images = [...root.querySelectorAll('img')];
      await Promise.all(images.map((img) => img.decode().catch(() => {})));
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    }""")
