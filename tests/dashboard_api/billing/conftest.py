"""Billing test fixtures: the merchant API wired to the Stripe emulator (through the real
`stripe` library), and the paid plans priced in it (helpers in harness.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import stripe
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL

from core.db.database import Database
from core.email import EmailSender
from dashboard_api.billing.gateway import StripeGateway
from emulators.stripe import FakeStripe
from tests.dashboard_api.billing.harness import PAID_PLANS, gateway_for
from tests.dashboard_api.harness import build_app


@pytest.fixture
def stripe_prices(fake_stripe: FakeStripe, owner_url: URL) -> Iterator[dict[str, str]]:
    """A recurring price in the emulator for each paid plan, written to `plans` by the
    schema owner (the application role may only read plans), and taken off again after."""
    client = stripe.StripeClient(fake_stripe.api_key, base_addresses={"api": fake_stripe.url})
    prices = {}
    for code, cents in PAID_PLANS.items():
        price = client.v1.prices.create(
            params={
                "unit_amount": cents,
                "currency": "usd",
                "recurring": {"interval": "month"},
                "product_data": {"name": code.title()},
            }
        )
        prices[code] = price.id
    engine = create_engine(owner_url)
    try:
        with engine.begin() as connection:
            for code, price_id in prices.items():
                connection.execute(
                    text("UPDATE plans SET stripe_price_id = :price WHERE code = :code"),
                    {"price": price_id, "code": code},
                )
        yield prices
    finally:
        with engine.begin() as connection:
            connection.execute(text("UPDATE plans SET stripe_price_id = NULL"))
        engine.dispose()


@pytest.fixture
def gateway(fake_stripe: FakeStripe) -> StripeGateway:
    return gateway_for(fake_stripe)


@pytest.fixture
def app(
    db: Database,
    redis: Redis,
    outbox: EmailSender,
    gateway: StripeGateway,
    stripe_prices: dict[str, str],
) -> FastAPI:
    return build_app(db, redis=redis, email_sender=outbox, stripe=gateway)
