"""What both HTTP apps share: the public API (`api`) and the merchant API (`dashboard_api`).

- `errors`: the problem+json handlers, the catch-all 503/500, and the failures both apps raise;
- `guards`: the request guards every route has (`body_limit`, `text_input`, the catch-all);
- `request_context`: the request id and the access log line;
- `http_middleware`: the pure-ASGI base our middleware shares;
- `client`: who is calling (address, user agent) and how an address is counted;
- `runtime`: where each app keeps what it builds once (`AppStateSlot`).

It may use FastAPI and Starlette; it knows neither app (import-linter keeps it below both).
"""
