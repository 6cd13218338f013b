"""The hosted pages behind the session URLs: `/checkout/{cs_id}` (pay → the subscription is
made and the browser goes to `success_url`, with `{CHECKOUT_SESSION_ID}` filled in as
Stripe does) and `/billing_portal/{bps_id}` (a `subscription_update_confirm` flow can be
confirmed → the subscription's items change → back to the return URL). Small HTML forms,
so a browser test or a person running the demo can click through."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from emulators.stripe.state import AUTOMATIC

if TYPE_CHECKING:
    from emulators.stripe.server import FakeStripe


async def serve(fake: FakeStripe, request: Request) -> Response:
    parts = request.url.path.strip("/").split("/")
    if len(parts) >= 2 and parts[0] == "checkout":
        return _checkout(fake, parts[1], request.method, parts[2:])
    if len(parts) >= 2 and parts[0] == "billing_portal":
        return _portal(fake, parts[1], request.method, parts[2:])
    return HTMLResponse("<h1>Not found</h1>", 404)


def _checkout(fake: FakeStripe, session_id: str, method: str, rest: list[str]) -> Response:
    with fake.lock:
        session = fake.checkout_sessions.get(session_id)
        if session is None:
            return HTMLResponse("<h1>Something went wrong</h1>", 404)
        if method == "POST" and rest == ["pay"]:
            if session["status"] == "open":
                fake.complete_checkout(session_id)
            target = str(session["success_url"]).replace("{CHECKOUT_SESSION_ID}", session_id)
            return RedirectResponse(target, 303)
        amount = f"{(session['amount_total'] or 0) / 100:.2f} {session['currency'] or ''}"
        cancel = html.escape(str(session["cancel_url"] or ""))
        status = html.escape(session["status"])
    return HTMLResponse(
        "<!doctype html><title>Fake Stripe Checkout</title>"
        f"<h1>Subscribe</h1><p>Total due today: {html.escape(amount.upper())}</p>"
        f"<p>Status: {status}</p>"
        f'<form method="post" action="/checkout/{session_id}/pay">'
        '<button type="submit">Subscribe</button></form>'
        f'<p><a href="{cancel}">Back</a></p>'
    )


def _portal(fake: FakeStripe, session_id: str, method: str, rest: list[str]) -> Response:
    with fake.lock:
        session = fake.portal_sessions.get(session_id)
        if session is None:
            return HTMLResponse("<h1>Something went wrong</h1>", 404)
        flow = session["flow"] or {}
        confirm = flow.get("subscription_update_confirm")
        back = str(session["return_url"] or "")
        redirect = (flow.get("after_completion") or {}).get("redirect") or {}
        if method == "POST" and rest == ["confirm"] and confirm:
            items = [{k: v for k, v in item.items() if v is not None} for item in confirm["items"]]
            fake.update_subscription(confirm["subscription"], {"items": items}, AUTOMATIC)
            return RedirectResponse(redirect.get("return_url") or back, 303)
    form = (
        f'<form method="post" action="/billing_portal/{session_id}/confirm">'
        '<button type="submit">Confirm</button></form>'
        if confirm
        else ""
    )
    return HTMLResponse(
        "<!doctype html><title>Fake Stripe customer portal</title>"
        f"<h1>Manage your subscription</h1>{form}"
        f'<p><a href="{html.escape(back)}">Return</a></p>'
    )
