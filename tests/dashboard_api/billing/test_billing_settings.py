"""Stripe is optional and configured once: no key means no billing gateway, production
refuses a key without a webhook secret or with the emulator's API base, and the grace sweep
is on the beat schedule."""

from __future__ import annotations

from pydantic import SecretStr

from core.background.celery_app import celery_app
from core.deployment import production_problems
from core.settings import Settings
from dashboard_api.billing import tasks
from dashboard_api.billing.gateway import StripeConfig


def test_without_a_key_there_is_no_stripe_config() -> None:
    assert StripeConfig.from_settings(Settings(stripe_secret_key=None)) is None
    config = StripeConfig.from_settings(Settings(stripe_secret_key=SecretStr("sk_test_1")))
    assert config is not None and config.webhook_secret is None
    assert "sk_test_1" not in repr(config)
    assert Settings().billing_grace_days == 7


def test_production_wants_a_webhook_secret_and_stripe_itself() -> None:
    settings = Settings(
        env="production",
        stripe_secret_key=SecretStr("sk_live_1"),
        stripe_api_base="http://127.0.0.1:12111",
    )
    problems = production_problems(settings)
    assert any("SHOPBOT_STRIPE_WEBHOOK_SECRET" in problem for problem in problems)
    assert any("SHOPBOT_STRIPE_API_BASE" in problem for problem in problems)
    fine = settings.model_copy(
        update={"stripe_webhook_secret": SecretStr("whsec_1"), "stripe_api_base": None}
    )
    assert not any("STRIPE" in problem for problem in production_problems(fine))


def test_the_grace_sweep_is_on_the_beat_schedule() -> None:
    entry = celery_app.conf.beat_schedule["billing-grace-sweep"]
    assert entry["task"] == "billing.grace.sweep" == tasks.sweep_grace_periods.name
    assert entry["schedule"] == tasks.SWEEP_EVERY_S
