"""`FakeWooStore`: a running fake WooCommerce site clients talk to over real HTTP.

    with FakeWooStore(generate_catalog(300, seed=7)) as store:
        client = WooClient(store.url, store.consumer_key, store.consumer_secret, ...)
        store.set_price(product_id, "9.99")

It runs its own server on 127.0.0.1 (`start()`), or, given `home_url`, it is a WordPress
installed in a folder of another ASGI server (`shopbot demo` mounts `store.asgi_app` at
`/demo-store` of its API server).

About HTTPS. WooCommerce accepts HTTP Basic auth (and the `consumer_key` query-string
fallback) only when `is_ssl()` is true; over plain HTTP it insists on OAuth 1.0a. The fake
can serve real TLS (`tls=True`: a throwaway self-signed certificate; pass
`store.ssl_context()` as the client's `verify`), which is the faithful way to test Basic
auth. `assume_https=True` instead makes a plain-HTTP fake behave as if TLS were terminated
in front of it (the `$_SERVER['HTTPS']='on'` reverse-proxy set-up), so Basic auth works
over `http://`; note that OAuth signatures then have to be made over the `https://` URL,
exactly as such a store would require.
"""

from __future__ import annotations

import ssl
from typing import Unpack
from urllib.parse import urlsplit

from emulators.catalog import Catalog
from emulators.server import BackgroundServer, ServedInBackground, self_signed_tls
from emulators.woocommerce.app import FakeWooApp
from emulators.woocommerce.state import StoreAccess, StoreState
from emulators.woocommerce.webhooks import WebhookDelivery, deliveries_for, disable_after_failures


class FakeWooStore(StoreState, ServedInBackground):
    def __init__(
        self,
        catalog: Catalog | None = None,
        *,
        tls: bool = False,
        assume_https: bool = False,
        pretty_permalinks: bool = True,
        woocommerce_active: bool = True,
        wordpress: bool = True,
        strip_authorization_header: bool = False,
        ping_webhooks: bool = False,
        home_url: str | None = None,
        **access: Unpack[StoreAccess],
    ) -> None:
        super().__init__(catalog, **access)
        self.tls: bool = tls
        # These switches may be flipped while the server runs (each request reads them).
        self.assume_https: bool = assume_https
        self.pretty_permalinks: bool = pretty_permalinks
        self.woocommerce_active: bool = woocommerce_active
        self.wordpress: bool = wordpress
        self.strip_authorization_header: bool = strip_authorization_header
        self.ping_webhooks: bool = ping_webhooks
        self._server: BackgroundServer | None = None
        self._port: int | None = None  # kept after stop(), so tests can aim at a dead address
        # Set when another server serves `asgi_app` (see the module docstring): the home URL
        # is then known up front, and this object never starts a server of its own.
        self._mounted_home = urlsplit(home_url.rstrip("/")) if home_url else None
        if self._mounted_home is not None:
            self._port = self._mounted_home.port
            # Whatever terminates TLS in front of the mounting server, WordPress sees https.
            self.assume_https = self.assume_https or self._mounted_home.scheme == "https"
            self.catalog.rebase(self.public_url)

    @property
    def asgi_app(self) -> FakeWooApp:
        """The store as an ASGI app, for a store built with `home_url` to be mounted there."""
        return FakeWooApp(self)

    # --- lifecycle -------------------------------------------------------------------
    def start(self) -> FakeWooStore:
        if self._mounted_home is not None:
            raise RuntimeError("a store built with home_url is served by mounting asgi_app")
        if self._server is not None:
            return self
        self._server = BackgroundServer(
            FakeWooApp(self), tls=self_signed_tls() if self.tls else None
        )
        self._port = self._server.port
        with self.lock:
            self.catalog.rebase(self.public_url)  # WooCommerce reports links on its own home URL
            self.listings.clear()
        self._server.start()
        return self

    # --- addresses -------------------------------------------------------------------
    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError(
                "the fake store was never started; use `with FakeWooStore(...) as store:`"
            )
        return self._port

    @property
    def netloc(self) -> str:
        if self._mounted_home is not None:
            return self._mounted_home.netloc
        return f"127.0.0.1:{self.port}"

    @property
    def home_path(self) -> str:
        """The folder WordPress is installed in ("" at the root, else e.g. "/demo-store")."""
        return self._mounted_home.path if self._mounted_home is not None else ""

    @property
    def url(self) -> str:
        """The store's home URL, e.g. http://127.0.0.1:54321 (https:// when `tls=True`)."""
        return f"{'https' if self.tls else 'http'}://{self.netloc}{self.home_path}"

    @property
    def public_url(self) -> str:
        """The home URL as WordPress itself reports it (https when TLS is assumed in front)."""
        scheme = "https" if self.tls or self.assume_https else "http"
        return f"{scheme}://{self.netloc}{self.home_path}"

    def ssl_context(self) -> ssl.SSLContext:
        """Pass as `verify=` to an httpx client to trust this store's self-signed certificate."""
        return self_signed_tls().client_context()

    # --- webhooks --------------------------------------------------------------------
    def webhook_deliveries(self, topic: str, product_id: int) -> list[WebhookDelivery]:
        """Signed deliveries for every active webhook on `topic`; `.send()`/`.asend()` them."""
        return deliveries_for(self, topic, product_id, f"{self.public_url}/")

    def disable_webhook(self, webhook_id: int) -> None:
        """Simulate WooCommerce disabling a webhook after repeated failed deliveries."""
        disable_after_failures(self, webhook_id)

    def reset_request_log(self) -> None:
        with self.lock:
            self.requests.clear()
