"""Stand-ins for the outside services Shopbot talks to, served over real HTTP on this machine.

- `emulators.woocommerce`: a WooCommerce store (wc/v3) with pagination, authentication,
  injectable faults and signed webhooks; `shopbot demo` serves its store with it.
- `emulators.catalog`: seeded WooCommerce catalogues in the exact wc/v3 JSON shape.
- `emulators.openai`: the OpenAI HTTP API (chat completions, streaming, embeddings), and a
  variant that streams at a model's pace.
- `emulators.stripe`: Stripe's v1 API for the real `stripe` library (customers, prices,
  Checkout and portal sessions, subscriptions, invoices), with idempotency, scripted
  subscription scenarios and their events, signed webhook deliveries and injectable faults.
- `emulators.server`: the background uvicorn server they run on.

They import no product package, so the demo, the tests and the benches share them; among the
product packages only `cli` imports them (both are import-linter contracts).
"""
