"""Chunks grouped per product and document, and which products are shown in what order
once retrieval has ranked them (the parts of `HybridRetriever.retrieve` that need no SQL)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

from engine.retrieval import repository
from engine.retrieval.settings import RetrievalSettings
from engine.types import DocumentHit


@dataclass(slots=True)
class Group:
    score: float
    snippets: list[str]


def named_shown(
    ranked: list[tuple[uuid.UUID, Group]],
    named: list[uuid.UUID],
    products: dict[uuid.UUID, Group],
    page: repository.PageProduct | None,
    top_k: int,
) -> list[tuple[uuid.UUID, Group]]:
    """The page's product (when shown), then the products named, then the rest."""
    first = [page.id] if page is not None and any(pid == page.id for pid, _ in ranked) else []
    first += [pid for pid in named if pid not in first]
    groups = dict(ranked)
    head = [(pid, groups.get(pid) or products.get(pid) or Group(0.0, [])) for pid in first]
    return (head + [(pid, g) for pid, g in ranked if pid not in first])[:top_k]


def group_candidates(
    candidates: list[repository.ChunkCandidate], per_product: int
) -> tuple[dict[uuid.UUID, Group], dict[uuid.UUID, tuple[Group, str]]]:
    """Best chunk wins the product's score; its other strong chunks are kept as evidence."""
    products: dict[uuid.UUID, Group] = {}
    documents: dict[uuid.UUID, tuple[Group, str]] = {}
    seen_per_owner: dict[uuid.UUID, int] = defaultdict(int)
    for candidate in candidates:  # already ordered by fused score
        owner = candidate.product_id or candidate.document_id
        if owner is None or seen_per_owner[owner] >= per_product:
            continue
        seen_per_owner[owner] += 1
        if candidate.product_id is not None:
            group = products.setdefault(candidate.product_id, Group(candidate.score, []))
            group.snippets.append(candidate.body)
        else:
            group, _ = documents.setdefault(owner, (Group(candidate.score, []), candidate.title))
            group.snippets.append(candidate.body)
    return products, documents


def document_hits(
    documents: dict[uuid.UUID, tuple[Group, str]], settings: RetrievalSettings
) -> list[DocumentHit]:
    doc_ranked = sorted(documents.items(), key=lambda item: item[1][0].score, reverse=True)
    return [
        DocumentHit(document_id=doc_id, title=title, snippets=tuple(g.snippets), score=g.score)
        for doc_id, (g, title) in doc_ranked[: max(1, settings.top_k // 2)]
        if g.score >= settings.min_score
    ]
