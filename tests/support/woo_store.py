"""The WooCommerce emulator as the tests use it: with the outbound guard's opt-in for it.

The emulator speaks only HTTP and imports no product code; which outbound policy lets the
product reach it is the product's knowledge, so it is added here.
"""

from __future__ import annotations

from core.outbound import OutboundPolicy
from emulators import woocommerce


class FakeWooStore(woocommerce.FakeWooStore):
    @property
    def outbound_policy(self) -> OutboundPolicy:
        """The outbound guard's explicit opt-in for this fake: its host (127.0.0.1) and its
        port only, and plain http unless it serves TLS. Nothing allows it by default."""
        return OutboundPolicy(
            allow_http=not self.tls,
            allowed_hosts=frozenset({"127.0.0.1"}),
            allowed_ports=frozenset({self.port}),
        )
