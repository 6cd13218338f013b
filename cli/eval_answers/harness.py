"""One pass of an answer eval: the eval tenant (built or reused), the bot configured, the
catalogue's facts read, every turn asked. Shared by `eval run --suite` and `eval sweep`."""

from __future__ import annotations

import time
from dataclasses import dataclass

from cli.eval_answers.app import configure_bot, eval_services, order_store, widget_access
from cli.eval_answers.catalogues import eval_catalogue
from cli.eval_answers.judge_client import judge_complete
from cli.eval_answers.live import LiveTally
from cli.eval_answers.tenant import EvalTenantRef, ensure_eval_tenant
from cli.output import err_console
from core.runtime import Runtime
from engine.embeddings import Embedder
from evals.answers.catalogue_facts import read_catalogue
from evals.answers.config import EvalConfig
from evals.answers.records import Conversation, Suite, TurnResult
from evals.answers.runner import EvalTenant, run_suite


@dataclass(frozen=True, slots=True)
class Pass:
    turns: list[TurnResult]
    tenant: EvalTenantRef
    seconds: float  # asking and scoring the turns (not the tenant's build)


async def run_pass(
    runtime: Runtime,
    embedder: Embedder,
    suite: Suite,
    config: EvalConfig,
    *,
    rebuild: bool = False,
    conversations: list[Conversation] | None = None,
    label: str | None = None,
) -> Pass:
    catalogue = eval_catalogue(suite.catalogue)
    chunking = config.chunk_sizes(embedder.space.name)
    tenant = await ensure_eval_tenant(runtime, embedder, catalogue, chunking, rebuild=rebuild)
    if tenant.reused:
        err_console.print(f"[dim]Reusing the eval tenant {tenant.tenant_id}[/]")
    else:
        err_console.print(
            f"[dim]Built the eval tenant {tenant.tenant_id}: {tenant.products} products, "
            f"{tenant.chunks} chunks in {tenant.sync_seconds:.1f} s[/]"
        )
    await configure_bot(runtime, tenant, config)
    facts = await read_catalogue(runtime.db, tenant.tenant_id)
    judge = judge_complete(config.judge) if config.judge else None
    # Loaded before the clock starts: the first turn's latency is an answer's, not the
    # embedding model's start-up.
    await embedder.embed_query("warm-up")
    asked = suite.conversations if conversations is None else conversations
    total = sum(len(c.turns) for c in asked)
    async with order_store(runtime, tenant, catalogue) as store_outbound:
        services = eval_services(runtime, embedder, config, store_outbound)
        started = time.perf_counter()
        try:
            async with widget_access(runtime, services, tenant) as access:
                with LiveTally(total, label or suite.name) as tally:
                    turns = await run_suite(
                        suite,
                        access,
                        EvalTenant(runtime.db, tenant.tenant_id),
                        facts,
                        judge=judge,
                        on_turn=tally,
                        conversations=asked,
                    )
        finally:
            await services.close()
    return Pass(turns, tenant, time.perf_counter() - started)
