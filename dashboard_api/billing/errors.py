"""Billing's expected failures, each with a stable machine code (problem+json at the edge)."""

from __future__ import annotations

from core.errors import BadRequest, Conflict, ServiceUnavailable


class BillingNotConfigured(ServiceUnavailable):
    """No Stripe key: the plan is Free or an operator's; nothing can be bought here."""

    code = "billing_not_configured"
    title = "Billing is not configured"


class BillingUnavailable(ServiceUnavailable):
    """Stripe did not answer, or answered with an error: try again later."""

    code = "billing_unavailable"
    title = "Billing is temporarily unavailable"
    retry_after = 30.0


class PlanNotPurchasable(Conflict):
    code = "plan_not_purchasable"
    title = "This plan cannot be bought online"


class AlreadyOnPlan(Conflict):
    code = "already_on_plan"
    title = "Already on this plan"


class NoBillingCustomer(Conflict):
    code = "no_billing_customer"
    title = "No billing account yet"


class InvalidSignature(BadRequest):
    """A webhook delivery that is unsigned, forged, altered or older than the tolerance."""

    code = "invalid_signature"
    title = "Invalid Stripe signature"
