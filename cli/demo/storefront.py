"""The demo storefront: a plain shop page on its own origin with the merchant's one-line
widget snippet, so the demo shows the widget exactly as a store would embed it."""

from __future__ import annotations

import html
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · Demo Outfitters</title>
<style>
 body {{ font-family: Georgia, serif; margin: 0; background: #faf7f2; color: #222; }}
 header {{ background: #2f4f4f; color: #fff; padding: 16px 24px; }}
 header a {{ color: #fff; text-decoration: none; font-size: 22px; }}
 main {{ max-width: 1000px; margin: 24px auto; padding: 0 16px; }}
 .grid {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 16px; }}
 .card {{ background: #fff; border: 1px solid #e5ded3; padding: 12px; border-radius: 6px; }}
 .price {{ font-weight: bold; }}
</style></head>
<body class="{body_class}">
<header><a href="/">Demo Outfitters</a> — a demo store for Shopbot</header>
<main>{content}</main>
<script src="{api_url}/widget.js" data-widget-key="{widget_key}" async></script>
</body></html>"""


def _price(product: dict[str, Any]) -> str:
    return f"${product['price']}" if product.get("price") else ""


def build_storefront(products: list[dict[str, Any]], *, api_url: str, widget_key: str) -> Starlette:
    published = [p for p in products if p["status"] == "publish"]
    by_id = {p["id"]: p for p in published}

    def render(title: str, content: str, body_class: str = "home") -> HTMLResponse:
        return HTMLResponse(
            PAGE.format(
                title=html.escape(title),
                content=content,
                body_class=body_class,
                api_url=html.escape(api_url),
                widget_key=html.escape(widget_key),
            )
        )

    async def home(request: Request) -> HTMLResponse:
        cards = "".join(
            f'<div class="card"><a href="/product/{p["id"]}">{html.escape(p["name"])}</a>'
            f'<div class="price">{_price(p)}</div></div>'
            for p in published[:48]
        )
        intro = (
            "<h1>Welcome</h1><p>Open the chat in the corner and ask, for example, "
            "<em>do you have anything under $30?</em></p>"
        )
        return render("Shop", intro + f'<div class="grid">{cards}</div>')

    async def product(request: Request) -> HTMLResponse:
        found = by_id.get(int(request.path_params["product_id"]))
        if found is None:
            return HTMLResponse("Not found", status_code=404)
        # WooCommerce themes put `postid-N` on single product pages; the widget reads it.
        content = (
            f"<h1>{html.escape(found['name'])}</h1><p class='price'>{_price(found)}</p>"
            f"<div>{found.get('short_description', '')}</div>"
        )
        return render(found["name"], content, body_class=f"single-product postid-{found['id']}")

    return Starlette(routes=[Route("/", home), Route("/product/{product_id:int}", product)])
