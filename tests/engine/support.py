"""What the engine tests share: the seeded outdoor-shop catalogue and the helpers that ask
the answer service a question or switch a tenant's bot to the (fake) OpenAI model."""

from __future__ import annotations

from sqlalchemy import update

from core.ids import BotId
from core.models import Bot
from engine.answer_events import Question
from tests.support.index import SeedProduct

CATALOGUE = [
    SeedProduct(
        "Alpine Rain Jacket",
        "89.00",
        "A waterproof, breathable shell jacket with taped seams and a packable hood "
        "for hiking in the rain.",
        ["Jackets"],
        {"Color": ["Red", "Blue"], "Size": ["S", "M", "L"]},
    ),
    SeedProduct(
        "Trail Running Shoes",
        "119.00",
        "Lightweight trail shoes with a grippy outsole and a rock plate for technical terrain.",
        ["Shoes"],
        {"Size": ["40", "41", "42"]},
    ),
    SeedProduct(
        "Merino Wool Beanie",
        "24.00",
        "A soft merino wool hat that keeps your head warm on cold winter mornings.",
        ["Accessories"],
        {"Color": ["Grey"]},
    ),
    SeedProduct(
        "Cast Iron Skillet",
        "35.00",
        "A pre-seasoned 10-inch cast iron pan for searing, baking and campfire cooking.",
        ["Kitchen"],
    ),
    SeedProduct(
        "Insulated Water Bottle",
        "19.50",
        "Double-walled steel bottle keeps drinks cold for 24 hours and hot for 12.",
        ["Accessories"],
        {"Color": ["Blue", "Green"]},
        stock_status="outofstock",
    ),
    SeedProduct(
        "Down Sleeping Bag",
        "249.00",
        "A warm 800-fill down sleeping bag rated to minus ten degrees for winter camping.",
        ["Camping"],
    ),
    SeedProduct(
        "Camping Headlamp",
        "29.99",
        "A bright rechargeable LED headlamp with red night mode for camping and running.",
        ["Camping"],
        on_sale=True,
    ),
    SeedProduct(
        "Wool Hiking Socks",
        "14.00",
        "Cushioned merino hiking socks that wick moisture and prevent blisters.",
        ["Accessories"],
        {"Size": ["M", "L"]},
    ),
    SeedProduct(
        "Ultralight Tent",
        "399.00",
        "A two-person ultralight tent that sets up in minutes and survives strong wind.",
        ["Camping"],
    ),
    SeedProduct(
        "Red Fleece Pullover",
        "59.00",
        "A cosy red fleece pullover for layering under a shell on chilly hikes.",
        ["Jackets"],
        {"Color": ["Red"]},
    ),
]


def question(tenant, message, **kw) -> Question:
    return Question(tenant_id=tenant.tenant_id, bot_id=BotId(tenant.bot_id), message=message, **kw)


async def use_openai(db, tenant) -> None:
    async with db.tenant_session(tenant.tenant_id) as session:
        await session.execute(
            update(Bot)
            .where(Bot.id == tenant.bot_id)
            .values(
                llm_settings={
                    "provider": "openai",
                    "model": "gpt-4o-mini",
                    "max_retries": 0,
                    "timeout_s": 5,
                }
            )
        )
