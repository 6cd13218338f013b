"""Indexing: product and knowledge rows, chunks and vectors, written idempotently."""

from ingestion.indexing.documents import ProductDocument
from ingestion.indexing.service import BatchCounts, IndexingService, PlannedBatch

__all__ = ["BatchCounts", "IndexingService", "PlannedBatch", "ProductDocument"]
