"""Billing requests and responses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class PlanSummary(BaseModel):
    code: str
    name: str
    version: int
    monthly_price_cents: int
    currency: str


class BillingOut(BaseModel):
    """`plan` is the plan whose limits hold now (Free when a subscription is not in good
    standing); `subscribed_plan` is what the tenant pays for, when that differs."""

    plan: PlanSummary
    subscribed_plan: PlanSummary | None
    status: str
    period_end: datetime | None
    cancel_at_period_end: bool
    grace_until: datetime | None
    limits: dict[str, Any]
    usage: dict[str, int]


class PlanOffer(PlanSummary):
    limits: dict[str, Any]
    purchasable: bool = Field(description="Can be bought through Checkout here and now.")
    current: bool = Field(description="The plan whose limits hold for this business now.")


class PlansOut(BaseModel):
    items: list[PlanOffer]


class CheckoutIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    plan: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9_-]+$")


class RedirectOut(BaseModel):
    """Where to send the merchant's browser (Stripe Checkout or the Customer Portal)."""

    url: str


class InvoicePeriod(BaseModel):
    start: datetime | None
    end: datetime | None


class InvoiceOut(BaseModel):
    id: str
    number: str | None
    status: str | None
    amount_due: int
    amount_paid: int
    currency: str
    created: datetime
    hosted_invoice_url: str | None
    period: InvoicePeriod


class InvoicePage(BaseModel):
    items: list[InvoiceOut]
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` for the next (older) page."
    )
