"""The demo's WooCommerce store: the bundled catalogue served read-only over wc/v3.

`shopbot demo` mounts this at `/demo-store` on its own server, so the first sync goes
through the real WooCommerce client and sync pipeline over HTTP, exactly as a merchant's
store would. It speaks only what the sync reads (products, variations, categories,
reviews, paging headers, `modified_after`) and accepts the demo's one key pair.

The catalogue is generated (emulators/catalog, seed 2026): 300 products over ten
categories, simple/variable/grouped/external, drafts that must not sync, on-sale and
out-of-stock items, reviews.
"""

from __future__ import annotations

import base64
import gzip
import json
import math
from datetime import datetime
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

CATALOGUE_FILE = Path(__file__).with_name("catalogue.json.gz")
DEMO_CONSUMER_KEY = "ck_demo_shopbot_0000000000000000000000000"
DEMO_CONSUMER_SECRET = "cs_demo_shopbot_0000000000000000000000000"
MAX_PER_PAGE = 100
# The storefront and the demo questions speak dollars.
DEMO_CURRENCY = "USD"


def load_catalogue(site_url: str) -> dict[str, Any]:
    raw = gzip.decompress(CATALOGUE_FILE.read_bytes()).decode()
    # Links in the bundled file point at a placeholder host; the store lives on our port.
    catalogue = json.loads(raw.replace("http://demo-store.invalid", site_url.rstrip("/")))
    catalogue["settings"]["currency"] = DEMO_CURRENCY
    return catalogue


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(
        {"code": code, "message": message, "data": {"status": status}}, status_code=status
    )


def _authorised(request: Request) -> bool:
    query = request.query_params
    if (
        query.get("consumer_key") == DEMO_CONSUMER_KEY
        and query.get("consumer_secret") == DEMO_CONSUMER_SECRET
    ):
        return True
    if query.get("oauth_consumer_key") == DEMO_CONSUMER_KEY:
        return True  # the demo store trusts its own key; the real client signs anyway
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return False
        return user == DEMO_CONSUMER_KEY and password == DEMO_CONSUMER_SECRET
    return False


def _page(request: Request, items: list[dict[str, Any]]) -> JSONResponse:
    try:
        per_page = int(request.query_params.get("per_page", 10))
        page = int(request.query_params.get("page", 1))
    except ValueError:
        return _error(400, "rest_invalid_param", "Invalid parameter(s): page, per_page")
    if not 1 <= per_page <= MAX_PER_PAGE or page < 1:
        return _error(400, "rest_invalid_param", "Invalid parameter(s): per_page")
    total = len(items)
    pages = max(1, math.ceil(total / per_page))
    chunk = items[(page - 1) * per_page : page * per_page]
    return JSONResponse(chunk, headers={"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)})


def build_demo_store(site_url: str) -> Starlette:
    catalogue = load_catalogue(site_url)
    products: list[dict[str, Any]] = sorted(catalogue["products"], key=lambda p: p["id"])
    variations: dict[str, list[dict[str, Any]]] = catalogue["variations"]

    def guarded(handler):
        async def endpoint(request: Request):
            if not _authorised(request):
                return _error(
                    401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources."
                )
            return await handler(request)

        return endpoint

    async def list_products(request: Request) -> JSONResponse:
        selected = products
        status = request.query_params.get("status", "any")
        if status != "any":
            selected = [p for p in selected if p["status"] == status]
        if after := request.query_params.get("modified_after"):
            cutoff = datetime.fromisoformat(after.replace("Z", "+00:00")).replace(tzinfo=None)
            selected = [
                p for p in selected if datetime.fromisoformat(p["date_modified_gmt"]) > cutoff
            ]
        if include := request.query_params.get("include"):
            wanted = {int(x) for x in include.split(",") if x.strip().isdigit()}
            selected = [p for p in selected if p["id"] in wanted]
        return _page(request, selected)

    async def get_product(request: Request) -> JSONResponse:
        product_id = int(request.path_params["product_id"])
        found = next((p for p in products if p["id"] == product_id), None)
        return (
            JSONResponse(found)
            if found
            else _error(404, "woocommerce_rest_product_invalid_id", "Invalid ID.")
        )

    async def list_variations(request: Request) -> JSONResponse:
        return _page(request, variations.get(str(request.path_params["product_id"]), []))

    async def list_categories(request: Request) -> JSONResponse:
        return _page(request, catalogue["categories"])

    async def list_reviews(request: Request) -> JSONResponse:
        reviews = catalogue["reviews"]
        if product := request.query_params.get("product"):
            wanted = {int(x) for x in product.split(",") if x.strip().isdigit()}
            reviews = [r for r in reviews if r["product_id"] in wanted]
        return _page(request, reviews)

    async def index(request: Request) -> JSONResponse:
        return JSONResponse({"namespace": "wc/v3", "routes": {"/wc/v3/products": {}}})

    async def system_status(request: Request) -> JSONResponse:
        return JSONResponse(
            {
                "environment": {"version": "9.4.0", "site_url": site_url},
                "settings": {"currency": catalogue["settings"].get("currency", "USD")},
            }
        )

    async def webhooks(request: Request) -> JSONResponse:
        if request.method == "POST":
            body = await request.json()
            return JSONResponse({"id": 1, "status": "active", **body}, status_code=201)
        return JSONResponse([])

    prefix = "/wp-json/wc/v3"
    return Starlette(
        routes=[
            Route("/wp-json/", index),
            Route(prefix, index),
            Route(f"{prefix}/system_status", guarded(system_status)),
            Route(f"{prefix}/products", guarded(list_products)),
            Route(f"{prefix}/products/categories", guarded(list_categories)),
            Route(f"{prefix}/products/reviews", guarded(list_reviews)),
            Route(f"{prefix}/products/{{product_id:int}}", guarded(get_product)),
            Route(f"{prefix}/products/{{product_id:int}}/variations", guarded(list_variations)),
            Route(f"{prefix}/webhooks", guarded(webhooks), methods=["GET", "POST"]),
        ]
    )
