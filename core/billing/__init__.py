"""Plans, entitlements and usage: what a tenant may do, and how much of it it has done.

- `plans`: a plan's quotas as a typed `PlanLimits`, read from the versioned `plans` rows.
- `entitlements`: which plan's limits hold for a tenant right now (its subscription in good
  standing, within a payment grace period, or Free).
- `usage`: monthly counters (shopper messages, platform model tokens), admitted with one
  atomic conditional upsert, so concurrent requests can neither double count nor overshoot.
- `room`: quotas counted from rows (bots, stores, seats, knowledge documents), checked under
  a per-tenant, per-quota transaction lock so two concurrent creations cannot both pass.
- `prices` and `spend`: the model price table (data, `model_prices.json`) and the daily
  per-bot record of tokens and their cost.

Everything here takes the caller's session and never commits (the edge owns the
transaction). Stripe lives above, in `dashboard_api.billing`: core knows plans and
counts, not payment providers.
"""
