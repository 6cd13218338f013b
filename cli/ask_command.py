"""`shopbot ask`: ask a bot from the terminal, streamed, or as the widget's JSON body."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from cli.context import DataDirOption, run_async, settings_for
from cli.output import console, print_json

if TYPE_CHECKING:
    from core.ids import BotId, TenantId

MAX_MESSAGE_CHARS = 2000


def ask(
    question: Annotated[str, typer.Argument(help="What the shopper asks.")],
    tenant: Annotated[str, typer.Option("--tenant", help="The tenant id.")],
    bot: Annotated[
        str | None, typer.Option("--bot", help="The bot id (default: the tenant's first bot).")
    ] = None,
    product_id: Annotated[
        str | None,
        typer.Option("--product-id", help="Ask as if on this product's page (the store's id)."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the widget chat response body.")
    ] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Ask a bot a question, as a shopper would in the widget."""
    # Imported here: every `shopbot` run builds all commands, and the answer engine (the
    # model client, the embedder) is the heaviest import of all (see cli/main.py).
    from cli.services import build_services
    from core.errors import ValidationFailed
    from core.ids import TenantId, parse_uuid
    from core.runtime import open_runtime
    from engine.answer_events import Question
    from engine.types import PageContext

    tenant_id = parse_uuid(tenant)
    if tenant_id is None:
        raise ValidationFailed(f"--tenant must be a tenant id (a UUID), got {tenant!r}")
    message = question.strip()
    if not message or len(message) > MAX_MESSAGE_CHARS:
        raise ValidationFailed(f"the question must be 1 to {MAX_MESSAGE_CHARS} characters")
    settings = settings_for(data_dir)

    async def _ask() -> None:
        async with open_runtime(settings, run_migrations=True) as runtime:
            services = await build_services(runtime)
            try:
                bot_id = await _resolve_bot(runtime.db, TenantId(tenant_id), bot)
                q = Question(
                    tenant_id=TenantId(tenant_id),
                    bot_id=bot_id,
                    message=message,
                    page=PageContext(url=None, product_id=product_id) if product_id else None,
                    visitor_id="cli",
                )
                if as_json:
                    print_json((await services.answer_service.answer(q)).as_json())
                    return
                async for event in services.answer_service.stream(q):
                    _print_event(event)
            finally:
                await services.close()

    run_async(_ask)


def _print_event(event: object) -> None:
    """The model's text is never printed: each token is a checked sentence. A terminal
    cannot take back printed text, so a `replace` (the checks took back what was shown)
    prints the checked answer again, in full, under a note; the last text printed is always
    the answer (`--json`)."""
    from engine.answer_events import DoneEvent, ReplaceEvent, SourcesEvent, TokenEvent

    if isinstance(event, TokenEvent):
        console.print(event.delta, end="", soft_wrap=True, markup=False)
    elif isinstance(event, ReplaceEvent):
        console.print("\n[dim](corrected answer)[/]")
        console.print(event.text, end="", soft_wrap=True, markup=False)
    elif isinstance(event, SourcesEvent) and event.sources:
        console.print()
        for i, source in enumerate(event.sources, 1):
            price = f"{source.get('price')} {source.get('currency')}" if source.get("price") else ""
            stock = (
                ""
                if "in_stock" not in source
                else ("in stock" if source["in_stock"] else "out of stock")
            )
            console.print(f"  [{i}] {source['title']}  {price}  {stock}".rstrip(), soft_wrap=True)
    elif isinstance(event, DoneEvent):
        # No id: the bot asks for consent before storing, and `ask` does not give it.
        stored = event.conversation_id or "not stored (the bot asks for consent first)"
        console.print(f"\n[dim]conversation {stored}[/]")


async def _resolve_bot(db, tenant_id: TenantId, bot: str | None) -> BotId:
    from sqlalchemy import select

    from core.errors import NotFound, ValidationFailed
    from core.ids import BotId, parse_uuid
    from core.models import Bot

    async with db.tenant_session(tenant_id) as session:
        query = select(Bot.id).where(Bot.tenant_id == tenant_id)
        if bot is not None:
            bot_uuid = parse_uuid(bot)
            if bot_uuid is None:
                raise ValidationFailed(f"--bot must be a bot id (a UUID), got {bot!r}")
            query = query.where(Bot.id == bot_uuid)
        found = await session.scalar(query.order_by(Bot.created_at).limit(1))
    if found is None:
        raise NotFound("no such bot for this tenant" if bot else "no such tenant, or it has no bot")
    return BotId(found)


__all__ = ["ask"]
