"""The two origins a browser test needs: the real Shopbot app and a merchant's storefront.

`AppServer` runs the process's one ASGI app (`cli.asgi.build_app`) under uvicorn on a
background thread with its own event loop. It gets its own `Database` on the application
role's URL (SQLAlchemy's async connections belong to the loop that opened them, so the
test loop's engine cannot be shared), the real `AnswerService` with the bundled MiniLM,
and an OpenAI endpoint (a fake) for the bots configured with provider "openai"; bots keep
the offline answerer by default. No Redis: in-process rate limits and caches.

`Storefront` is a plain HTTP server serving a WooCommerce-looking product page carrying the
merchant's one-line snippet. Reached as `http://localhost:<port>` it is the allowed origin;
as `http://127.0.0.1:<port>` the very same page is a foreign origin.
"""

from __future__ import annotations

import asyncio
import html
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import uvicorn
from sqlalchemy.engine import URL

from cli.asgi import build_app
from cli.listening import bound_tcp_socket
from cli.services import Services
from core.db.config import DatabaseUrls
from core.db.database import Database
from core.deployment import with_public_urls
from core.runtime import Runtime
from core.secrets import load_process_secrets
from core.settings import Settings
from engine.answer import AnswerService
from engine.embeddings import shared_local_embedder
from engine.retrieval.query_cache import QueryEmbeddingCache


def bind_free_port() -> socket.socket:
    return bound_tcp_socket("127.0.0.1", 0)  # as `shopbot serve --workers` binds


class AppServer:
    def __init__(
        self,
        owner_url: URL,
        app_url: URL,
        *,
        openai_api_key: str | None,
        openai_base_url: str | None,
    ) -> None:
        self._urls = DatabaseUrls(owner=owner_url, app=app_url, embedded=True)
        self._openai_api_key = openai_api_key
        self._openai_base_url = openai_base_url
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None
        self.port = 0
        # (method, path, user agent) of every HTTP request the server received: the
        # server's side of what a page sent, which a keepalive request fired as the page
        # navigates away may not show on the browser's side.
        self.received: list[tuple[str, str, str]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def received_from_browser(self, method: str, path: str) -> int:
        return sum(
            1 for m, p, agent in self.received if m == method and p == path and "Chrome" in agent
        )

    def start(self) -> AppServer:
        sock = bind_free_port()
        self.port = sock.getsockname()[1]
        self._thread = threading.Thread(
            target=self._run, args=(sock,), daemon=True, name="shopbot-app"
        )
        self._thread.start()
        deadline = time.monotonic() + 30
        while self._server is None or not self._server.started:
            if self._failure is not None:
                raise RuntimeError("the Shopbot app did not start") from self._failure
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the Shopbot app did not start in 30 s")
            time.sleep(0.02)
        return self

    def _run(self, sock: socket.socket) -> None:
        try:
            asyncio.run(self._serve(sock))
        except BaseException as exc:
            self._failure = exc

    async def _serve(self, sock: socket.socket) -> None:
        # As `shopbot serve` does: links point at the address the server listens on.
        settings = with_public_urls(Settings(), host="127.0.0.1", port=self.port)
        db = Database.connect(self._urls.app, pool_size=5)
        runtime = Runtime(
            settings=settings, urls=self._urls, db=db, secrets=load_process_secrets(settings)
        )
        embedder = shared_local_embedder()
        services = Services(
            embedder=embedder,
            redis=None,
            answer_service=AnswerService(
                db,
                embedder,
                openai_api_key=self._openai_api_key,
                openai_base_url=self._openai_base_url,
                cache=QueryEmbeddingCache(None),
            ),
        )
        app = self._recording(build_app(runtime, services))
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        server = uvicorn.Server(config)
        self._server = server
        try:
            await server.serve(sockets=[sock])
        finally:
            await services.close()
            await db.dispose()

    def _recording(self, app: Any) -> Any:
        async def recorded(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] == "http":
                headers = dict(scope["headers"])
                agent = headers.get(b"user-agent", b"").decode("latin-1")
                self.received.append((scope["method"], scope["path"], agent))
            await app(scope, receive, send)

        return recorded

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=15)
        self._server = None
        self._thread = None


# --- the storefront ----------------------------------------------------------------------

# Ordinary store styling. The page content stays in the left 640 px, so at 1280 px nothing
# of the store sits behind the widget's corner (its screenshots then show only the widget).
STORE_CSS = """
body { margin: 0; font: 16px/1.5 Georgia, 'Times New Roman', serif; color: #222;
       background: #faf7f2; }
header, main, footer { max-width: 600px; padding: 16px 20px; }
header { font-weight: bold; letter-spacing: .04em; border-bottom: 1px solid #ddd; }
h1 { font-size: 28px; margin: 8px 0; }
.price { font-size: 22px; color: #7a3e00; }
button.single_add_to_cart_button { background: #7a3e00; color: #fff; border: 0;
                                   padding: 10px 18px; }
nav a { margin-right: 12px; }
"""

# The nastiest thing a theme can do to "every div, button and everything".
HOSTILE_CSS = """
* { color: red !important; font-size: 40px !important;
    font-family: 'Comic Sans MS', cursive !important; line-height: 3 !important;
    box-sizing: content-box !important; }
div { display: none !important; position: static !important; width: 10px !important; }
button { background: lime !important; border: 5px solid blue !important; padding: 30px !important; }
textarea, input { background: yellow !important; }
svg, path { fill: orange !important; stroke: purple !important; }
"""

_PRODUCT_PAGE = """<!doctype html>
<html lang="en-US">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} &ndash; Peak Outfitters</title>
<style>{store_css}</style>
<style id="hostile">{hostile_css}</style>
</head>
<body class="{body_class}">
<header>PEAK OUTFITTERS</header>
<nav><a href="/product/beanie?{query}" data-testid="store-product-link">Beanie</a>
<a href="/cart?{query}" data-testid="store-cart-link">Cart</a></nav>
<main>
{main}
</main>
<footer>&copy; Peak Outfitters</footer>
<script src="{api}/widget.js" data-widget-key="{key}" async></script>
</body>
</html>
"""

_BEANIE_MAIN = """<h1 data-testid="store-title">Merino Wool Beanie</h1>
<p class="price">$24.00</p>
<form class="cart" method="post" onsubmit="return false">
<button type="submit" name="add-to-cart" value="{product_id}"
 class="single_add_to_cart_button">Add to cart</button>
</form>
<p>A soft merino wool hat that keeps your head warm on cold winter mornings.</p>"""

_CART_MAIN = """<h1 data-testid="store-title">Your cart</h1><p>Your cart is currently empty.</p>"""
# WooCommerce's `/?add-to-cart=<id>`: the product goes in the cart, the page says so.
_ADDED_MAIN = """<h1 data-testid="store-title">Your cart</h1>
<p data-testid="store-added" data-product-id="{product_id}">Product {product_id} has been added
 to your cart.</p>"""

_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">
<rect width="96" height="96" rx="12" fill="{fill}"/><text x="48" y="58" font-size="30"
 text-anchor="middle" font-family="sans-serif" fill="#fff">{label}</text></svg>"""
_SVG_FILLS = (
    "#2f6f4f",
    "#7a3e00",
    "#1f5fd1",
    "#8a2be2",
    "#b8860b",
    "#2e8b57",
    "#c0392b",
    "#34495e",
)

# Which product the single-product page is about (WooCommerce's own markup says it).
BEANIE_EXTERNAL_ID = "102"


class Storefront:
    """`/product/beanie?key=WK[&hostile=1][&api=URL]`, `/cart?key=…`, `/?add-to-cart=<id>`,
    `/img/<id>.svg`."""

    def __init__(self, api_url: str) -> None:
        self.api_url = api_url
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    @property
    def origin(self) -> str:
        """The merchant's (allowed) origin."""
        return f"http://localhost:{self.port}"

    @property
    def foreign_origin(self) -> str:
        """The same server under another origin, which no bot allows."""
        return f"http://127.0.0.1:{self.port}"

    def product_url(
        self, widget_key: str, *, hostile: bool = False, origin: str | None = None
    ) -> str:
        query = f"key={widget_key}" + ("&hostile=1" if hostile else "")
        return f"{origin or self.origin}/product/beanie?{query}"

    def image_url(self, external_id: str) -> str:
        return f"{self.origin}/img/{external_id}.svg"

    def start(self) -> Storefront:
        storefront = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                status, content_type, body = storefront.render(self.path)
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(data)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, daemon=True, name="storefront"
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def render(self, raw_path: str) -> tuple[int, str, str]:
        parts = urlsplit(raw_path)
        params = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path.startswith("/img/") and parts.path.endswith(".svg"):
            label = parts.path[len("/img/") : -len(".svg")][-3:]
            fill = _SVG_FILLS[sum(map(ord, label)) % len(_SVG_FILLS)]
            return 200, "image/svg+xml", _SVG.format(fill=fill, label=html.escape(label))
        key = params.get("key", "")
        query = html.escape(parts.query, quote=True)
        common = {
            "store_css": STORE_CSS,
            "hostile_css": HOSTILE_CSS if params.get("hostile") else "",
            "query": query,
            "api": html.escape(params.get("api", self.api_url), quote=True),
            "key": html.escape(key, quote=True),
        }
        if parts.path == "/product/beanie":
            main = _BEANIE_MAIN.format(product_id=BEANIE_EXTERNAL_ID)
            page = _PRODUCT_PAGE.format(
                title="Merino Wool Beanie",
                body_class="product-template-default single single-product "
                f"postid-{BEANIE_EXTERNAL_ID}",
                main=main,
                **common,
            )
            return 200, "text/html; charset=utf-8", page
        if parts.path == "/" and params.get("add-to-cart"):
            main = _ADDED_MAIN.format(product_id=html.escape(params["add-to-cart"]))
            page = _PRODUCT_PAGE.format(
                title="Cart", body_class="page woocommerce-cart", main=main, **common
            )
            return 200, "text/html; charset=utf-8", page
        if parts.path == "/cart":
            page = _PRODUCT_PAGE.format(
                title="Cart", body_class="page woocommerce-cart", main=_CART_MAIN, **common
            )
            return 200, "text/html; charset=utf-8", page
        return 404, "text/plain; charset=utf-8", "not found"
