"""Question clusters for the bench's bulk-loaded year, as the product would have made them.

The loader writes ~1M shopper messages drawn from the bank's few hundred wordings
(bench/analytics_questions.py), so each distinct wording is embedded once, with the
engine's own embedder and its query path (the vector retrieval searches with, the one the
answer service clusters), and the wordings are clustered with the product's rule
(engine.analytics.question_clusters): per bot, in the order the wordings were first asked,
a wording joins the nearest centroid (cosine) when the similarity reaches the space's
threshold, else opens a cluster; a centroid is the running mean of its members.

Simplification (said in the report): the online rule sees every message, and as centroids
move a later repeat of a wording could join another cluster than its first occurrence; here
all occurrences of a wording share its first occurrence's cluster. The stored centroid is
the mean over the member messages (what the running mean reaches), the representative is
the cluster's first message, and the assignments and per-day counts are written with a few
set-based statements from the loader's working tables (bench_turns, in the same
transaction)."""

from __future__ import annotations

import asyncio
import math
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from engine.analytics.answered import answered_reply_sql
from engine.analytics.question_clusters import PREVIEW_VISITOR_PREFIX, join_similarity


@dataclass
class Clustered:
    space: str = ""
    threshold: float = 0.0
    wordings: int = 0
    clusters: int = 0
    assignments: int = 0
    days: int = 0
    purity_wordings: float = 0.0  # share of wordings in their cluster's majority family
    purity_messages: float = 0.0  # the same, weighted by how often each wording was asked
    kept_together: float = 0.0  # share of a family's messages in its largest cluster
    seconds: dict[str, float] = field(default_factory=dict)


def embed_wordings(wordings: list[str]) -> tuple[str, list[list[float]]]:
    """The engine's embedder (the bundled MiniLM, shared per process), its query path."""
    from engine.embeddings.local_minilm import shared_local_embedder

    embedder = shared_local_embedder()

    async def embed() -> list[list[float]]:
        return [await embedder.embed_query(wording) for wording in wordings]

    # The loader is called from the bench's event loop: embed on a loop of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        vectors = pool.submit(asyncio.run, embed()).result()
    return str(embedder.space.name), vectors


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norms = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norms if norms else 0.0


def leader_clusters(ordered: list[int], vectors: list[list[float]], threshold: float) -> list[int]:
    """The product's rule over wordings in arrival order: cluster index per entry of
    `ordered` (indices into `vectors`)."""
    centroids: list[list[float]] = []
    members: list[int] = []
    assigned: list[int] = []
    for index in ordered:
        vector = vectors[index]
        scored = [(_cosine(centroid, vector), k) for k, centroid in enumerate(centroids)]
        best = max(scored, default=(-1.0, -1))
        if best[0] >= threshold:
            k = best[1]
            weight = members[k]
            centroids[k] = [
                (c * weight + v) / (weight + 1) for c, v in zip(centroids[k], vector, strict=True)
            ]
            members[k] += 1
        else:
            k = len(centroids)
            centroids.append(list(vector))
            members.append(1)
        assigned.append(k)
    return assigned


_ARRIVALS = """
SELECT bot_id, wording, min(asked_at) AS first_asked, count(*) AS asked
FROM bench_turns WHERE visitor_id NOT LIKE :preview
GROUP BY bot_id, wording ORDER BY bot_id, first_asked
"""
_MAP = """
CREATE TEMPORARY TABLE bench_cluster_map ON COMMIT DROP AS
SELECT * FROM unnest(CAST(:bots AS uuid[]), CAST(:wordings AS text[]), CAST(:clusters AS uuid[]))
    AS m(bot_id, wording, cluster_id)
"""
_ASKED = f"""
CREATE TEMPORARY TABLE bench_asked ON COMMIT DROP AS
SELECT t.question_id, t.bot_id, t.asked_at, m.cluster_id, {answered_reply_sql("a")} AS answered
FROM bench_turns t
JOIN bench_cluster_map m ON m.bot_id = t.bot_id AND m.wording = t.wording
JOIN messages a ON a.id = t.answer_id
WHERE t.visitor_id NOT LIKE :preview
"""
_CLUSTERS = """
INSERT INTO question_clusters (id, tenant_id, bot_id, embedding_space, centroid, members,
                               representative_message_id)
SELECT k.id, :tenant, k.bot_id, :space, CAST(k.centroid AS vector), q.members, q.first_message
FROM unnest(CAST(:ids AS uuid[]), CAST(:cluster_bots AS uuid[]), CAST(:centroids AS text[]))
    AS k(id, bot_id, centroid)
JOIN (SELECT cluster_id, count(*) AS members,
             (array_agg(question_id ORDER BY asked_at))[1] AS first_message
      FROM bench_asked GROUP BY cluster_id) q ON q.cluster_id = k.id
"""
_ASSIGNMENTS = """
INSERT INTO question_assignments (message_id, tenant_id, cluster_id, bot_id, asked_at, answered)
SELECT question_id, :tenant, cluster_id, bot_id, asked_at, answered FROM bench_asked
"""
_DAYS = """
INSERT INTO question_cluster_days (tenant_id, cluster_id, day, bot_id, asked, answered)
SELECT :tenant, cluster_id, (asked_at AT TIME ZONE 'UTC')::date, bot_id,
       count(*), count(*) FILTER (WHERE answered)
FROM bench_asked GROUP BY cluster_id, bot_id, (asked_at AT TIME ZONE 'UTC')::date
"""


def _purity(clusters: dict[Any, list[tuple[int, int]]]) -> tuple[float, float, float]:
    """(wordings purity, messages purity, kept together) over clusters of (family, asked)."""
    pure_wordings = pure_messages = total_wordings = total_messages = 0
    largest: dict[int, int] = defaultdict(int)
    family_total: Counter[int] = Counter()
    for members in clusters.values():
        by_wordings = Counter(family for family, _ in members)
        by_messages: Counter[int] = Counter()
        for family, asked in members:
            by_messages[family] += asked
        pure_wordings += max(by_wordings.values())
        pure_messages += max(by_messages.values())
        total_wordings += len(members)
        total_messages += sum(by_messages.values())
        for family, asked in by_messages.items():
            largest[family] = max(largest[family], asked)
            family_total[family] += asked
    kept = sum(largest.values()) / max(1, sum(family_total.values()))
    return pure_wordings / max(1, total_wordings), pure_messages / max(1, total_messages), kept


def assign_clusters(connection: Connection, tenant_id: Any, family_of: dict[str, int]) -> Clustered:
    """Clusters, assignments and per-day counts for the tenant's loaded shopper messages, in
    the loader's transaction (its bench_turns table)."""
    import time
    import uuid

    result = Clustered()
    preview = {"preview": PREVIEW_VISITOR_PREFIX + "%"}
    began = time.perf_counter()
    arrivals = connection.execute(text(_ARRIVALS), preview).all()
    wordings = sorted({row.wording for row in arrivals})
    index = {wording: n for n, wording in enumerate(wordings)}
    result.space, vectors = embed_wordings(wordings)
    result.threshold = join_similarity(result.space)
    result.wordings = len(wordings)
    result.seconds["embed wordings"] = time.perf_counter() - began

    began = time.perf_counter()
    by_bot: dict[Any, list[Any]] = defaultdict(list)
    for row in arrivals:  # in first-asked order per bot
        by_bot[row.bot_id].append(row)
    mapping: list[tuple[Any, str, uuid.UUID]] = []
    centroids: dict[uuid.UUID, tuple[Any, list[float], int]] = {}
    members: dict[uuid.UUID, list[tuple[int, int]]] = defaultdict(list)
    for bot_id, rows in by_bot.items():
        ordered = [index[row.wording] for row in rows]
        ids: dict[int, uuid.UUID] = {}
        for row, k in zip(rows, leader_clusters(ordered, vectors, result.threshold), strict=True):
            cluster_id = ids.setdefault(k, uuid.uuid4())
            mapping.append((bot_id, row.wording, cluster_id))
            vector, asked = vectors[index[row.wording]], int(row.asked)
            _, total, weight = centroids.get(cluster_id, (bot_id, [0.0] * len(vector), 0))
            centroids[cluster_id] = (
                bot_id,
                [t + v * asked for t, v in zip(total, vector, strict=True)],
                weight + asked,
            )
            members[cluster_id].append((family_of.get(row.wording, -1), asked))
    result.clusters = len(centroids)
    result.purity_wordings, result.purity_messages, result.kept_together = _purity(members)
    result.seconds["leader clustering"] = time.perf_counter() - began

    began = time.perf_counter()
    connection.execute(
        text(_MAP),
        {
            "bots": [bot for bot, _, _ in mapping],
            "wordings": [wording for _, wording, _ in mapping],
            "clusters": [cluster for _, _, cluster in mapping],
        },
    )
    connection.execute(text(_ASKED), preview)
    tenant = {"tenant": tenant_id}
    connection.execute(
        text(_CLUSTERS),
        {
            **tenant,
            "space": result.space,
            "ids": list(centroids),
            "cluster_bots": [bot for bot, _, _ in centroids.values()],
            "centroids": [
                "[" + ",".join(f"{t / weight:.7g}" for t in total) + "]"
                for _, total, weight in centroids.values()
            ],
        },
    )
    result.assignments = connection.execute(text(_ASSIGNMENTS), tenant).rowcount
    result.days = connection.execute(text(_DAYS), tenant).rowcount
    result.seconds["write clusters, assignments, days"] = time.perf_counter() - began
    return result
