"""The public API: what shoppers' browsers and stores call, with no merchant login.

- the widget API under `/widget/v1` (`sessions`, `chat`, `feedback`, `events`), opened by a
  bot's public widget key from an allowed origin (`cors`, `origins`, `rate_limit`);
- `widget.js` itself (`static_assets`);
- store webhooks under `/webhooks` (`webhooks`);
- health: `/healthz`, `/readyz`, `/metrics` (`health`, `metrics`).

`app` mounts it (`include_widget_api`); `dependencies` is what it is built from;
`unit_of_work` is the widget request's tenant session. The merchant REST API is
`dashboard_api`; what both share (errors, guards, client address) is `web`.
"""
