"""`FakeWooStore`: a running fake WooCommerce site tests talk to over real HTTP.

    with FakeWooStore(generate_catalog(300, seed=7)) as store:
        client = WooClient(store.url, store.consumer_key, store.consumer_secret,
                           outbound=store.outbound_policy)
        store.set_price(product_id, "9.99")

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
from types import TracebackType

from core.outbound import OutboundPolicy
from emulators.catalog import Catalog
from emulators.woocommerce.app import FakeWooApp
from emulators.woocommerce.server import BackgroundServer, self_signed_tls
from emulators.woocommerce.state import DEFAULT_CONSUMER_KEY, DEFAULT_CONSUMER_SECRET, StoreState
from emulators.woocommerce.webhooks import WebhookDelivery, deliveries_for, disable_after_failures


class FakeWooStore(StoreState):
    def __init__(
        self,
        catalog: Catalog | None = None,
        *,
        consumer_key: str = DEFAULT_CONSUMER_KEY,
        consumer_secret: str = DEFAULT_CONSUMER_SECRET,
        permissions: str = "read_write",
        tls: bool = False,
        assume_https: bool = False,
        pretty_permalinks: bool = True,
        woocommerce_active: bool = True,
        wordpress: bool = True,
        strip_authorization_header: bool = False,
        ping_webhooks: bool = False,
        seed: int = 0,
    ) -> None:
        super().__init__(
            catalog,
            consumer_key=consumer_key,
            consumer_secret=consumer_secret,
            permissions=permissions,
            seed=seed,
        )
        self.consumer_key: str = consumer_key
        self.consumer_secret: str = consumer_secret
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

    # --- lifecycle -------------------------------------------------------------------
    def start(self) -> FakeWooStore:
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

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> FakeWooStore:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

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
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The store's home URL, e.g. http://127.0.0.1:54321 (https:// when `tls=True`)."""
        return f"{'https' if self.tls else 'http'}://{self.netloc}"

    @property
    def public_url(self) -> str:
        """The home URL as WordPress itself reports it (https when TLS is assumed in front)."""
        scheme = "https" if self.tls or self.assume_https else "http"
        return f"{scheme}://{self.netloc}"

    @property
    def outbound_policy(self) -> OutboundPolicy:
        """The outbound guard's explicit opt-in for this fake: its host (127.0.0.1) and its
        port only, and plain http unless it serves TLS. Nothing allows it by default."""
        return OutboundPolicy(
            allow_http=not self.tls,
            allowed_hosts=frozenset({"127.0.0.1"}),
            allowed_ports=frozenset({self.port}),
        )

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
