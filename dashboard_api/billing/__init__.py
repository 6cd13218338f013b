"""Billing: the tenant's plan and usage, Stripe Checkout and Customer Portal, invoices, and
the Stripe webhook that moves a tenant between plans (`webhooks.py`, `apply.py`)."""
