"""Retrieval evals through the engine's own code paths.

- **page** scope: the question asked on its product's page, ranked by
  `HybridRetriever.rank_evidence` (the chunks of that one product), scored against the
  evidence hetPQA labels relevant.
- **catalogue** scope: the question with no page context through `HybridRetriever.retrieve`
  over the whole eval catalogue; the item's product is the one relevant answer.

Each runs under four rankers, all through the same SQL (`repository.hybrid_candidates`):
vector-only (text weight 0: the text ranker is not run), text-only (vector weight 0),
hybrid (the engine's default settings: weighted score fusion) and hybrid-rrf (reciprocal
rank fusion of the same two rankers, at the best point of last session's sweep), so the
fusion methods are compared on the same questions. A single ranker is scored on what it
alone retrieves. Page-scope ties are broken by the evidence piece's key (derived from the
data), so a run is reproducible in any tenant.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.db.database import Database
from engine.embeddings.base import Embedder
from engine.retrieval.search import HybridRetriever
from engine.retrieval.settings import RetrievalSettings
from evals.datasets.hetpqa import EvalItem, HetPQADataset
from evals.metrics import (
    DEFAULT_RESAMPLES,
    Estimate,
    mean,
    per_item_scores,
    random_baseline,
    summarise,
)
from evals.store import EvalStore, Progress, ensure_store

# Single rankers keep every chunk they retrieve: cosine similarity can be negative, and a
# min_score of 0 would count such a chunk as not returned.
SINGLE_RANKER_MIN_SCORE = -1.0
CATALOGUE_TOP_K = 10
TOP_KEPT = 5


@dataclass(frozen=True, slots=True)
class RankerConfig:
    name: str
    settings: RetrievalSettings


# Reciprocal rank fusion at the best point of the RRF sweep (0.8/0.2, k=5; evals/README.md):
# the strongest RRF there is, to compare the default weighted fusion against.
RRF_HYBRID = RetrievalSettings(fusion="rrf", vector_weight=0.8, text_weight=0.2, rrf_k=5)


def ranker_configs(
    hybrid: RetrievalSettings | None = None, rrf: RetrievalSettings | None = RRF_HYBRID
) -> tuple[RankerConfig, ...]:
    """vector-only, text-only, hybrid (the engine's defaults unless given) and, unless `rrf`
    is None, the same rankers under reciprocal rank fusion. The single rankers share the
    hybrid's other settings (candidates, ef_search) so only the fusion differs."""
    hybrid = hybrid or RetrievalSettings()
    configs = [
        RankerConfig(
            "vector",
            replace(hybrid, vector_weight=1.0, text_weight=0.0, min_score=SINGLE_RANKER_MIN_SCORE),
        ),
        RankerConfig(
            "text",
            replace(hybrid, vector_weight=0.0, text_weight=1.0, min_score=SINGLE_RANKER_MIN_SCORE),
        ),
        RankerConfig("hybrid", hybrid),
    ]
    if rrf is not None:
        configs.append(
            RankerConfig(
                "hybrid-rrf",
                replace(
                    hybrid,
                    fusion="rrf",
                    vector_weight=rrf.vector_weight,
                    text_weight=rrf.text_weight,
                    rrf_k=rrf.rrf_k,
                ),
            )
        )
    return tuple(configs)


@dataclass(frozen=True, slots=True)
class ItemOutcome:
    item_id: str
    ranks: tuple[int | None, ...]  # 1-based rank of each relevant piece; None = not returned
    pool: int  # pieces on the page (page scope) or products in the catalogue
    returned: int
    latency_ms: float
    top: tuple[str, ...] = ()  # the first piece keys (page) or ASINs (catalogue)


@dataclass(slots=True)
class RunResult:
    scope: str  # "page" | "catalogue"
    config: str
    settings: dict[str, Any]
    outcomes: list[ItemOutcome]
    _metrics: dict[str, Estimate] | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return f"{self.scope}/{self.config}"

    def metrics(self, resamples: int = DEFAULT_RESAMPLES) -> dict[str, Estimate]:
        if self._metrics is None:
            self._metrics = summarise([o.ranks for o in self.outcomes], resamples=resamples)
        return self._metrics

    def latency_ms(self) -> dict[str, float]:
        return _percentiles([o.latency_ms for o in self.outcomes])


@dataclass(frozen=True, slots=True)
class SweepPoint:
    settings: dict[str, Any]
    metrics: dict[str, float]  # means only: a sweep has too many points for intervals


@dataclass(slots=True)
class RetrievalEval:
    dataset: dict[str, Any]
    runs: list[RunResult]
    random_page: dict[str, float]
    sweep: list[SweepPoint] = field(default_factory=list)
    store: dict[str, Any] = field(default_factory=dict)

    def run(self, scope: str, config: str) -> RunResult:
        return next(r for r in self.runs if r.scope == scope and r.config == config)


def _percentiles(values: Sequence[float]) -> dict[str, float]:
    if not values:
        return {"p50": 0.0, "p95": 0.0}
    ordered = sorted(values)

    def pick(quantile: float) -> float:
        return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))]

    return {"p50": round(pick(0.50), 2), "p95": round(pick(0.95), 2)}


def _ranks(ordered_keys: Sequence[str | None], relevant: Sequence[str]) -> tuple[int | None, ...]:
    position: dict[str, int] = {}
    for index, key in enumerate(ordered_keys, start=1):
        if key is not None:
            position.setdefault(key, index)
    return tuple(position.get(key) for key in sorted(relevant))


@dataclass(frozen=True, slots=True)
class RankerRuns:
    """The eval's fixed inputs, so that each scope's run takes only the ranker to run."""

    db: Database
    retriever: HybridRetriever
    store: EvalStore
    dataset: HetPQADataset
    items: Sequence[EvalItem]
    progress: Progress | None = None

    async def page(self, config: RankerConfig) -> RunResult:
        """Each question ranked over its own product's evidence pieces."""
        store = self.store

        async def ranked_keys(session: AsyncSession, item: EvalItem) -> list[str]:
            candidates = await self.retriever.rank_evidence(
                session,
                tenant_id=store.tenant_id,
                product_id=store.product_ids[item.asin],
                query=item.question,
                settings=config.settings,
            )
            # Everything a ranker returned is ranked (a cosine may be negative). Ties are
            # broken by the piece's data-derived key, so the same data gives the same
            # ranking in any tenant.
            scored = [(c.score, store.piece_by_chunk.get(c.chunk_id) or "?") for c in candidates]
            return [key for _, key in sorted(scored, key=lambda pair: (-pair[0], pair[1]))]

        def judged(item: EvalItem) -> tuple[list[str], int]:
            return list(item.relevant), len(self.dataset.product(item.asin).pieces)

        outcomes = await self._outcomes(f"page/{config.name}", ranked_keys, judged)
        return RunResult("page", config.name, asdict(config.settings), outcomes)

    async def catalogue(self, config: RankerConfig) -> RunResult:
        """Each question over the whole catalogue; its own product is the one right answer."""
        settings = replace(config.settings, top_k=max(config.settings.top_k, CATALOGUE_TOP_K))
        asin_by_product = {pid: asin for asin, pid in self.store.product_ids.items()}

        async def ranked_asins(session: AsyncSession, item: EvalItem) -> list[str | None]:
            result = await self.retriever.retrieve(
                session,
                tenant_id=self.store.tenant_id,
                query=item.question,
                settings=settings,
                store_id=self.store.store_id,
            )
            return [asin_by_product.get(hit.product_id) for hit in result.hits]

        def judged(item: EvalItem) -> tuple[list[str], int]:
            return [item.asin], len(self.dataset.products)

        outcomes = await self._outcomes(f"catalogue/{config.name}", ranked_asins, judged)
        return RunResult("catalogue", config.name, asdict(settings), outcomes)

    async def _outcomes(
        self,
        label: str,
        ranked: Callable[[AsyncSession, EvalItem], Awaitable[Sequence[str | None]]],
        judged: Callable[[EvalItem], tuple[list[str], int]],
    ) -> list[ItemOutcome]:
        """Every item through `ranked` (timed), scored against what `judged` says is
        relevant, out of a pool of that size; all in one tenant transaction."""
        outcomes = []
        async with self.db.tenant_session(self.store.tenant_id) as session:
            for index, item in enumerate(self.items, start=1):
                started = time.perf_counter()
                keys = await ranked(session, item)
                latency = (time.perf_counter() - started) * 1000.0
                relevant, pool = judged(item)
                outcomes.append(
                    ItemOutcome(
                        item_id=item.item_id,
                        ranks=_ranks(keys, relevant),
                        pool=pool,
                        returned=len(keys),
                        latency_ms=latency,
                        top=tuple(key or "?" for key in keys[:TOP_KEPT]),
                    )
                )
                if self.progress is not None:
                    self.progress(label, index, len(self.items))
        return outcomes


# Weighted fusion around the defaults: the text weight (vector weight stays 1) and the
# candidate list. Pass a grid with "fusion": ("rrf",) and "vector_weight" to sweep RRF.
SWEEP_GRID: dict[str, tuple[Any, ...]] = {
    "text_weight": (0.1, 0.2, 0.3, 0.4, 0.6, 1.0),
    "candidates": (10, 40),
}


def sweep_settings(
    base: RetrievalSettings, grid: dict[str, tuple[Any, ...]] = SWEEP_GRID
) -> list[RetrievalSettings]:
    """Every combination of the grid; a `vector_weight` w without a text weight in the grid
    comes with text weight 1 - w (the RRF convention)."""
    names = list(grid)
    out = []
    for values in itertools.product(*(grid[n] for n in names)):
        changes = dict(zip(names, values, strict=True))
        if "vector_weight" in changes and "text_weight" not in changes:
            changes["text_weight"] = round(1.0 - changes["vector_weight"], 4)
        out.append(replace(base, **changes))
    return out


async def run_sweep(
    runs: RankerRuns, settings_list: Sequence[RetrievalSettings]
) -> list[SweepPoint]:
    """Page scope under each of the settings; progress is reported per point, not per item."""
    progress = runs.progress
    quiet = replace(runs, progress=None)
    points = []
    for index, settings in enumerate(settings_list, start=1):
        result = await quiet.page(RankerConfig("sweep", settings))
        scores = per_item_scores([o.ranks for o in result.outcomes])
        points.append(SweepPoint(asdict(settings), {name: mean(v) for name, v in scores.items()}))
        if progress is not None:
            progress("sweep", index, len(settings_list))
    return points


async def run_retrieval_eval(
    db: Database,
    embedder: Embedder,
    dataset: HetPQADataset,
    *,
    hybrid: RetrievalSettings | None = None,
    rrf: RetrievalSettings | None = RRF_HYBRID,
    store: EvalStore | None = None,
    catalogue: bool = True,
    sweep: bool = False,
    sweep_grid: dict[str, tuple[Any, ...]] = SWEEP_GRID,
    progress: Progress | None = None,
) -> RetrievalEval:
    """Build (or reuse) the eval store, then every run. One retriever for all runs: each
    question is embedded once and served from the query cache afterwards."""
    store = store or await ensure_store(db, dataset, embedder, progress=progress)
    retriever = HybridRetriever(embedder)
    items = list(dataset.items)
    configs = ranker_configs(hybrid, rrf)
    ranker_runs = RankerRuns(db, retriever, store, dataset, items, progress)
    runs = [await ranker_runs.page(c) for c in configs]
    if catalogue:
        runs += [await ranker_runs.catalogue(c) for c in configs]
    points = []
    if sweep:
        base = next(c.settings for c in configs if c.name == "hybrid")
        points = await run_sweep(ranker_runs, sweep_settings(base, sweep_grid))
    pages = [(len(dataset.product(i.asin).pieces), len(i.relevant)) for i in items]
    return RetrievalEval(
        dataset={
            "name": dataset.name,
            "subset": dataset.subset,
            "fingerprint": dataset.fingerprint,
            "title_mode": dataset.title_mode,
            "items": len(items),
            "products": len(dataset.products),
            "pieces": dataset.piece_count,
            "mean_page_size": round(mean([n for n, _ in pages]), 2),
            "embedding_space": embedder.space.name,
        },
        runs=runs,
        random_page=random_baseline(pages),
        sweep=points,
        store={
            "tenant_id": str(store.tenant_id),
            "reused": store.reused,
            "build_seconds": round(store.build_seconds, 1),
        },
    )
