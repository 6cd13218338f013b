"""What the browser tests share besides fixtures: the Chromium they drive (and the marker
that skips them without it), the seeded catalogue with its hostile product, the `Shop` a
test gets and the `PageWatch` record of what a page did."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from core.ids import BotId, TenantId
from tests.support.index import SeedProduct

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

browser_test = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium is not installed at {CHROMIUM}"),
]

HOSTILE_TITLE = "Enamel Camp Mug <script>alert(1)</script>"
HOSTILE_BODY = (
    "A speckled enamel camp mug for campfire coffee <img src=x onerror=alert(2)> that holds 350 ml "
    "and hangs from a pack strap."
)
CATALOGUE = [
    SeedProduct(
        "Alpine Rain Jacket",
        "89.00",
        "A waterproof, breathable shell jacket with taped seams and a "
        "packable hood for hiking in the rain.",
        ["Jackets"],
        external_id="101",
    ),
    SeedProduct(
        "Merino Wool Beanie",
        "24.00",
        "A soft merino wool hat that keeps your head warm on cold winter mornings.",
        ["Accessories"],
        external_id="102",
    ),
    SeedProduct(
        "Wool Hiking Socks",
        "14.00",
        "Cushioned merino hiking socks that wick moisture and prevent blisters.",
        ["Accessories"],
        external_id="103",
    ),
    SeedProduct(
        "Insulated Water Bottle",
        "19.50",
        "Double-walled steel bottle keeps drinks cold for 24 hours and hot for 12.",
        ["Accessories"],
        stock_status="outofstock",
        external_id="104",
    ),
    SeedProduct(
        "Camping Headlamp",
        "29.99",
        "A bright rechargeable LED headlamp with red night mode for camping and running.",
        ["Camping"],
        external_id="105",
    ),
    SeedProduct(
        "Trail Running Shoes",
        "119.00",
        "Lightweight trail shoes with a grippy outsole and a rock plate for technical terrain.",
        ["Shoes"],
        external_id="106",
    ),
    SeedProduct(HOSTILE_TITLE, "12.00", HOSTILE_BODY, ["Kitchen"], external_id="107"),
]


@dataclass(frozen=True)
class Shop:
    tenant_id: TenantId
    bot_id: BotId
    widget_key: str
    product_ids: dict[str, uuid.UUID]


@dataclass
class PageWatch:
    """What a page did that a test may have to fail on."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    console: list[tuple[str, str]] = field(default_factory=list)
    requests: list[tuple[str, str, str | None]] = field(default_factory=list)  # method, url, body

    def warnings(self) -> list[str]:
        return [text for kind, text in self.console if kind == "warning"]

    def posts_to(self, path: str) -> list[str | None]:
        return [
            body
            for method, url, body in self.requests
            if method == "POST" and urlsplit(url).path == path
        ]
