"""The store cannot restyle the widget, and catalogue or model text never runs as markup."""

from __future__ import annotations

import io
from typing import Any, cast

from sqlalchemy import update

from core.db.database import Database
from core.models import Bot
from emulators.openai import PacedFakeOpenAI
from tests.browser.harness import HOSTILE_TITLE, PageWatch, Shop, browser_test
from tests.browser.servers import Storefront
from tests.browser.widget import ask, open_widget, settle_images

pytestmark = browser_test

# Computed styles and boxes of every widget element, keyed by test id (+ index).
WIDGET_STYLES = """() => {
  const host = document.querySelector('[data-shopbot]');
  const props = ['display', 'position', 'visibility', 'color', 'background-color', 'font-size',
    'font-family', 'font-weight', 'line-height', 'padding', 'margin', 'border', 'box-sizing',
    'width', 'height', 'z-index', 'fill', 'stroke', 'text-align'];
  const describe = (el) => {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    const out = { box: [box.x, box.y, box.width, box.height].map(Math.round) };
    for (const p of props) out[p] = style.getPropertyValue(p);
    return out;
  };
  const seen = { host: describe(host) };
  const counts = {};
  for (const el of host.shadowRoot.querySelectorAll('*')) {
    const id = el.getAttribute('data-testid')
      || el.tagName.toLowerCase() + '.' + (el.getAttribute('class') || '');
    counts[id] = (counts[id] || 0) + 1;
    seen[id + '#' + counts[id]] = describe(el);
  }
  return seen;
}"""


def _differences(plain: dict[str, Any], hostile: dict[str, Any]) -> list[str]:
    out = []
    for key in sorted(plain.keys() | hostile.keys()):
        a, b = plain.get(key), hostile.get(key)
        if a is None or b is None:
            out.append(f"{key}: only in {'hostile' if a is None else 'plain'} page")
            continue
        out.extend(
            f"{key} {prop}: {a[prop]!r} -> {b[prop]!r}" for prop in a if a[prop] != b.get(prop)
        )
    return out


# Anti-aliasing of the cards' rounded image corners can come out a shade or two apart
# between two renders of the same thing; any real restyling (red text, lime buttons, 40px
# type) changes pixels by far more than this.
PIXEL_TOLERANCE = 24


def _pixels_differ(first: bytes, second: bytes) -> bool:
    if first == second:
        return False
    from PIL import Image, ImageChops

    a, b = (
        Image.open(io.BytesIO(first)).convert("RGB"),
        Image.open(io.BytesIO(second)).convert("RGB"),
    )
    if a.size != b.size:
        return True
    # Both were converted to RGB: one (lowest, highest) pair per band, not a single pair.
    bands = cast(tuple[tuple[int, int], ...], ImageChops.difference(a, b).getextrema())
    largest = max(high for _, high in bands)
    return largest > PIXEL_TOLERANCE


async def _open_and_ask(page: Any) -> None:
    await open_widget(page)
    await ask(page, "do you have anything under $30?")
    await settle_images(page)


async def test_hostile_store_css_does_not_change_the_widget(
    new_page: Any, shop: Shop, storefront: Storefront, artifacts: Any
) -> None:
    plain, hostile = await new_page(), await new_page()
    await plain.goto(storefront.product_url(shop.widget_key))
    await hostile.goto(storefront.product_url(shop.widget_key, hostile=True))

    # The hostile sheet really is in force on the store's own elements.
    title = hostile.get_by_test_id("store-title")
    assert await title.evaluate("el => getComputedStyle(el).fontSize") == "40px"
    assert await title.evaluate("el => getComputedStyle(el).color") == "rgb(255, 0, 0)"
    assert (
        await hostile.evaluate(
            "() => getComputedStyle("
            "document.querySelector('button.single_add_to_cart_button')).backgroundColor"
        )
        == "rgb(0, 255, 0)"
    )

    await _open_and_ask(plain)
    await _open_and_ask(hostile)
    plain_styles, hostile_styles = (
        await plain.evaluate(WIDGET_STYLES),
        await hostile.evaluate(WIDGET_STYLES),
    )
    assert len(plain_styles) > 40, "the comparison covers the whole widget"
    assert plain_styles["host"]["display"] == "inline"  # `div { display: none !important }` lost
    # The host and its wrapper sit in the page's flow (after the store's content, which the
    # hostile CSS makes much taller) and take no space; everything visible is `position: fixed`.
    for flow in ("host", "div.r#1"):
        for styles in (plain_styles, hostile_styles):
            assert styles[flow]["box"][3] == 0, (flow, styles[flow]["box"])
            del styles[flow]["box"]
    assert not _differences(plain_styles, hostile_styles), "\n".join(
        _differences(plain_styles, hostile_styles)[:40]
    )

    await hostile.screenshot(
        path=str(artifacts / "isolation-hostile-page-1280.png"), animations="disabled"
    )
    for test_id in ("shopbot-panel", "shopbot-launcher"):
        shots = [
            await p.get_by_test_id(test_id).screenshot(animations="disabled", caret="hide")
            for p in (plain, hostile)
        ]
        (artifacts / f"isolation-{test_id}-plain.png").write_bytes(shots[0])
        (artifacts / f"isolation-{test_id}-hostile.png").write_bytes(shots[1])
        assert not _pixels_differ(*shots), (
            f"{test_id} looks different under the store's hostile CSS"
        )


async def test_catalogue_markup_in_an_answer_renders_as_text(
    page: Any, shop: Shop, storefront: Storefront, watch: PageWatch
) -> None:
    await page.goto(storefront.product_url(shop.widget_key))
    await open_widget(page)
    answer, events = await ask(page, "do you have an enamel camp mug?")
    assert HOSTILE_TITLE in events[-1][1]["answer"], "the offline answer names the product"

    text = answer.get_by_test_id("shopbot-message-text")
    assert HOSTILE_TITLE in await text.inner_text()
    card = answer.get_by_test_id("shopbot-product-card").filter(has_text="Enamel Camp Mug")
    assert await card.get_by_test_id("shopbot-product-title").inner_text() == HOSTILE_TITLE
    await page.get_by_text("<script>alert(1)</script>").first.wait_for(state="visible")
    await _assert_nothing_ran(page, watch)

    # The conversation comes back from sessionStorage on the next page view: same rendering.
    await page.reload()
    await page.get_by_test_id("shopbot-panel").wait_for(state="visible")
    restored = page.locator('[data-testid="shopbot-message"][data-message-id]')
    assert HOSTILE_TITLE in await restored.get_by_test_id("shopbot-message-text").inner_text()
    await _assert_nothing_ran(page, watch)


async def test_markup_a_model_echoes_renders_as_text(
    page: Any,
    shop: Shop,
    storefront: Storefront,
    committed_db: Database,
    paced_llm: PacedFakeOpenAI,
    watch: PageWatch,
) -> None:
    async with committed_db.tenant_session(shop.tenant_id) as session:
        await session.execute(
            update(Bot)
            .where(Bot.id == shop.bot_id)
            .values(
                llm_settings={
                    "provider": "openai",
                    "model": "gpt-4o-mini",
                    "max_retries": 0,
                    "timeout_s": 10,
                }
            )
        )
    # A model that repeats the catalogue's markup, and adds some of its own.
    paced_llm.reply_with(
        "The Enamel Camp Mug <script>alert(1)</script> is a speckled enamel camp mug "
        "for campfire coffee <img src=x onerror=alert(2)> that holds 350 ml. "
        "More: [details](javascript:alert(3)) or "
        '<a href="javascript:alert(4)">here</a>.'
    )
    await page.goto(storefront.product_url(shop.widget_key))
    await open_widget(page)
    answer, events = await ask(page, "tell me about the enamel camp mug")
    final = events[-1][1]["answer"]
    shown = await answer.get_by_test_id("shopbot-message-text").inner_text()
    for markup in (
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(2)>",
        '<a href="javascript:alert(4)">here</a>',
    ):
        assert markup in final, f"the guardrails kept {markup!r} (it is only text)"
        assert markup in shown, f"{markup!r} is shown literally"
    await page.get_by_text("<img src=x onerror=alert(2)>", exact=False).first.wait_for(
        state="visible"
    )
    # The javascript: link is not a link.
    assert await answer.get_by_test_id("shopbot-message-text").locator("a").count() == 0
    assert "details" in shown
    await _assert_nothing_ran(page, watch)


async def _assert_nothing_ran(page: Any, watch: PageWatch) -> None:
    await page.wait_for_timeout(300)  # time for an onerror to fire if an <img> had been made
    elements = await page.evaluate("""() => {
      const root = document.querySelector('[data-shopbot]').shadowRoot;
      return {
        pageScripts: document.scripts.length,
        widgetScripts: root.querySelectorAll('script').length,
        brokenImages: root.querySelectorAll('img[src="x"], img[onerror], [onerror]').length,
        jsLinks: [...root.querySelectorAll('a[href]')]
          .filter((a) => !/^https?:/.test(a.href)).length,
      };
    }""")
    assert elements == {"pageScripts": 1, "widgetScripts": 0, "brokenImages": 0, "jsLinks": 0}, (
        elements
    )
    assert not watch.dialogs, watch.dialogs
