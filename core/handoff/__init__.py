"""A conversation handed to a person from the store (issue 18, "a human when asked").

The answer offers it (engine.handoff); the shopper leaves an email with consent
(`POST /widget/v1/handoff`); the conversation is flagged and the merchant is emailed
(`notices.merchant_notice`, after the request's commit); the merchant replies from the
dashboard (`POST /v1/conversations/{id}/replies`), which the open widget fetches by polling
(`GET /widget/v1/conversations/{id}/messages`), and a reply the widget has not fetched
within `REPLY_EMAIL_DELAY` is emailed to the shopper once (`replies`).
"""
