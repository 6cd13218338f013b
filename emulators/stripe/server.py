"""`FakeStripe`: a running fake of Stripe's v1 API that the real `stripe` library talks to.

    with FakeStripe() as fake:
        client = stripe.StripeClient(fake.api_key, base_addresses={"api": fake.url})
        session = client.v1.checkout.sessions.create(params={...})
        subscription = fake.complete_checkout(session.id)
        response = fake.deliver(fake.events[-1], webhook_url, secret)

State and the v1 operations are in `state.py` and `sessions.py`, the scenarios a test
scripts in `scenarios.py`, the request life cycle (faults, auth, idempotency) in `app.py`.
"""

from __future__ import annotations

from typing import Any

import httpx

from emulators.server import BackgroundServer, ServedInBackground
from emulators.stripe.app import FakeStripeApp
from emulators.stripe.scenarios import StripeScenarios
from emulators.stripe.webhooks import deliver_event, sign_payload
from emulators.stripe.wire import DEFAULT_API_KEY, DEFAULT_API_VERSION, Fault, FaultKind

DEFAULT_WEBHOOK_SECRET = "whsec_fake_stripe_signing_secret"


class FakeStripe(StripeScenarios, ServedInBackground):
    def __init__(
        self, *, api_key: str = DEFAULT_API_KEY, api_version: str = DEFAULT_API_VERSION
    ) -> None:
        super().__init__(api_key=api_key, api_version=api_version)
        self._server: BackgroundServer | None = None
        self._port = 0

    @property
    def asgi_app(self) -> FakeStripeApp:
        return FakeStripeApp(self)

    def start(self) -> FakeStripe:
        if self._server is None:
            self._server = BackgroundServer(self.asgi_app, name="fake-stripe", log_level="critical")
            self._port = self._server.port
            self._server.start()
        return self

    @property
    def url(self) -> str:
        """The API base (`base_addresses={"api": url}` or `stripe.api_base`), no `/v1`."""
        if not self._port:
            raise RuntimeError("the fake Stripe was never started; use `with FakeStripe() as f:`")
        return f"http://127.0.0.1:{self._port}"

    # --- scripting ---------------------------------------------------------------------
    def inject(self, *faults: Fault | FaultKind) -> None:
        """Queue faults, each answering the next request it matches instead of the route."""
        with self.lock:
            self.faults.extend(f if isinstance(f, Fault) else Fault(f) for f in faults)

    def take_fault(self, path: str) -> Fault | None:
        with self.lock:
            for index, fault in enumerate(self.faults):
                if fault.matches(path):
                    return self.faults.pop(index)
        return None

    # --- webhooks ----------------------------------------------------------------------
    @staticmethod
    def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
        """The `Stripe-Signature` header value for `payload`."""
        return sign_payload(payload, secret, timestamp)

    @staticmethod
    def deliver(
        event: dict[str, Any], url: str, secret: str, *, timestamp: int | None = None
    ) -> httpx.Response:
        """POST `event` to a webhook endpoint as Stripe does, signed with `secret`."""
        return deliver_event(event, url, secret, timestamp=timestamp)
