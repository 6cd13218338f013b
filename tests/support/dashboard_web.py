"""What the end-to-end tests of the merchant web app share: the built export (`dashboard_web/out`)
served by a real `shopbot serve`, a storefront on another origin carrying the merchant's
copied snippet, and the per-page checks (screenshots at two widths, axe-core).

The server is a subprocess, as an operator runs it, with the settings a single-process
deployment has: no REDIS_URL, so a sync the dashboard starts runs in the server process
(with Redis set and no Celery worker the job would wait in the queue forever); SMTP to the
test's own server; the outbound guard's explicit opt-in for the fake WooCommerce store.
"""

from __future__ import annotations

import contextlib
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import URL

from tests.cli.serving import SHOPBOT, free_port, shopbot_env
from tests.support.mail import SmtpTestServer
from tests.support.sync import outbound_env
from tests.support.woo_store import FakeWooStore

ROOT = Path(__file__).resolve().parents[2]
WEB_DIR = ROOT / "dashboard_web"
EXPORT_DIR = WEB_DIR / "out"
AXE_JS = WEB_DIR / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "dashboard"
WIDTHS = (1280, 390)
STARTUP_TIMEOUT_S = 120
# How every test's browser sees the app: a desktop width (PageAudit adds 390 px), US English
# and UTC so dates read the same on any machine, no animations mid-screenshot.
CONTEXT_OPTIONS: dict[str, Any] = {
    "viewport": {"width": 1280, "height": 900},
    "locale": "en-US",
    "timezone_id": "UTC",
    "reduced_motion": "reduce",
    "service_workers": "block",
}


def require_export() -> Path:
    """The built web app, or a failure that says how to build it (a missing build is not a
    reason to skip: CI builds it before pytest)."""
    if not (EXPORT_DIR / "index.html").is_file():
        pytest.fail(
            f"{EXPORT_DIR / 'index.html'} is missing: the dashboard is not built; "
            "run npm --prefix dashboard_web run build (after npm --prefix dashboard_web ci)",
            pytrace=False,
        )
    return EXPORT_DIR


def require_axe() -> Path:
    if not AXE_JS.is_file():
        pytest.fail(
            f"{AXE_JS} is missing: axe-core is a dev dependency of dashboard_web; "
            "run npm --prefix dashboard_web ci",
            pytrace=False,
        )
    return AXE_JS


class DashboardServer:
    """`shopbot serve` on 127.0.0.1 with the web app, its log in a file (a pipe nobody reads
    would fill up and stall the server)."""

    def __init__(
        self, owner_url: URL, mailbox: SmtpTestServer, store: FakeWooStore, log_dir: Path
    ) -> None:
        self.port = free_port()
        self.log_path = log_dir / "shopbot-serve.log"
        self._env = {
            "DATABASE_URL": owner_url.render_as_string(hide_password=False),
            "REDIS_URL": "",  # unset: syncs run in this process (see the module doc)
            "SHOPBOT_DASHBOARD_DIR": str(require_export()),
            "SHOPBOT_EMAIL_BACKEND": "smtp",
            "SHOPBOT_SMTP_HOST": mailbox.host,
            "SHOPBOT_SMTP_PORT": str(mailbox.port),
            "SHOPBOT_SMTP_SECURITY": "none",
            "SHOPBOT_LOG_LEVEL": "WARNING",
            **outbound_env(store),
        }
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def app(self, route: str = "") -> str:
        """`/app/<route>` on this server, e.g. `app("sign-up/")`."""
        return f"{self.url}/app/{route}"

    def log_tail(self, lines: int = 60) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def start(self) -> DashboardServer:
        log = self.log_path.open("wb")
        self._process = subprocess.Popen(
            [*SHOPBOT, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=shopbot_env(self._env),
            cwd=ROOT,
        )
        log.close()
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            if self._process.poll() is not None:
                raise AssertionError(
                    f"shopbot serve exited {self._process.returncode}:\n{self.log_tail()}"
                )
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return self
            if time.monotonic() > deadline:
                raise AssertionError(f"shopbot serve did not answer /healthz:\n{self.log_tail()}")
            time.sleep(0.25)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()  # only the process this object started
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def new_audited_context(browser: Any) -> Any:
    """A fresh, signed-out browser context with axe-core in every page (for PageAudit)."""
    context = await browser.new_context(**CONTEXT_OPTIONS)
    await context.add_init_script(path=str(require_axe()))
    return context


@dataclass(frozen=True)
class Account:
    email: str
    password: str
    business_name: str


def register_account(server: DashboardServer, business_name: str) -> Account:
    """A merchant created through the API (`POST /v1/auth/register`), as a script would: for
    tests whose subject is not the sign-up form itself. The email is unique per call."""
    slug = business_name.lower().replace(" ", "-")
    account = Account(
        f"{slug}-{uuid.uuid4().hex[:8]}@example.com", "tour-pass-phrase-42", business_name
    )
    response = httpx.post(
        f"{server.url}/v1/auth/register",
        json={
            "email": account.email,
            "password": account.password,
            "business_name": business_name,
        },
        timeout=30,
    )
    assert response.status_code == 201, response.text
    return account


_STORE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Peak Outfitters</title></head>
<body><header>PEAK OUTFITTERS</header>
<main><h1>Merino Wool Beanie</h1><p>A soft merino wool hat.</p></main>
{snippet}
</body></html>"""


class SnippetStorefront:
    """A shop's page on its own origin (`http://127.0.0.1:<its port>`, not the app's),
    carrying whatever snippet the merchant pasted (`paste`), verbatim, before </body>."""

    def __init__(self) -> None:
        self.snippet = ""
        self._httpd: ThreadingHTTPServer | None = None

    @property
    def origin(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def paste(self, snippet: str) -> None:
        self.snippet = snippet

    def start(self) -> SnippetStorefront:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: object) -> None:
                pass

            def do_GET(self) -> None:
                if self.path.split("?")[0] != "/":
                    self.send_error(404)
                    return
                body = _STORE_PAGE.format(snippet=site.snippet).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, daemon=True, name="snippet-shop").start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None


# axe-core's serious and critical violations, one line each with the first few targets.
AXE_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ['violations'] });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ` +
      v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(', '));
}"""


@dataclass
class PageAudit:
    """Every page the journey visits: screenshots at each width and axe-core's findings,
    gathered so one run reports all of them rather than stopping at the first page."""

    directory: Path = SCREENSHOTS
    visited: list[str] = field(default_factory=list)
    violations: dict[str, list[str]] = field(default_factory=dict)

    async def check(self, page: Any, name: str) -> None:
        """Screenshot `page` as `<name>-<width>.png` at every width (restoring the first) and
        run axe-core (added to the context by `add_init_script(path=AXE_JS)`)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        from playwright.async_api import TimeoutError as PlaywrightTimeout

        # Settled requests, best effort: an open widget (the live preview) keeps talking.
        with contextlib.suppress(PlaywrightTimeout):
            await page.wait_for_load_state("networkidle", timeout=5_000)
        original = page.viewport_size
        for width in WIDTHS:
            await page.set_viewport_size({"width": width, "height": 900})
            await page.wait_for_timeout(150)  # layout after the resize
            shot = self.directory / f"{name}-{width}.png"
            await page.screenshot(path=str(shot), full_page=True, animations="disabled")
        if original is not None:
            await page.set_viewport_size(original)
        found = await page.evaluate(AXE_RUN)
        self.visited.append(name)
        if found:
            self.violations[name] = found

    def report(self) -> str:
        return "\n".join(
            f"{page}:\n  " + "\n  ".join(lines) for page, lines in self.violations.items()
        )
