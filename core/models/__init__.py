"""ORM models, one file per aggregate. Importing this package registers every table."""

from core.models.access import ApiKey, AuditLogEntry
from core.models.analytics import (
    AnalyticsDay,
    AnalyticsProductDay,
    AnalyticsProductMonth,
    AnalyticsQuarterHour,
)
from core.models.base import Base
from core.models.billing import ModelUsageDaily, Plan, Subscription, UsageCounter
from core.models.bot import Bot
from core.models.chunk import Chunk, ChunkVector, EmbeddingSpaceRow
from core.models.conversation import Conversation, Feedback, Message, WidgetEvent
from core.models.erasure import TenantErasure
from core.models.knowledge import KnowledgeDocument
from core.models.product import Product, ProductVariation
from core.models.question_cluster import QuestionAssignment, QuestionCluster, QuestionClusterDay
from core.models.search_vocabulary import SearchVocabulary
from core.models.store import StoreConnection
from core.models.sync import SyncJob, WebhookEvent
from core.models.tenant import Tenant
from core.models.term_frequency import TermFrequency
from core.models.user import Invitation, Membership, OneTimeToken, RefreshToken, User

__all__ = [
    "AnalyticsDay",
    "AnalyticsProductDay",
    "AnalyticsProductMonth",
    "AnalyticsQuarterHour",
    "ApiKey",
    "AuditLogEntry",
    "Base",
    "Bot",
    "Chunk",
    "ChunkVector",
    "Conversation",
    "EmbeddingSpaceRow",
    "Feedback",
    "Invitation",
    "KnowledgeDocument",
    "Membership",
    "Message",
    "ModelUsageDaily",
    "OneTimeToken",
    "Plan",
    "Product",
    "ProductVariation",
    "QuestionAssignment",
    "QuestionCluster",
    "QuestionClusterDay",
    "RefreshToken",
    "SearchVocabulary",
    "StoreConnection",
    "Subscription",
    "SyncJob",
    "Tenant",
    "TenantErasure",
    "TermFrequency",
    "UsageCounter",
    "User",
    "WebhookEvent",
    "WidgetEvent",
]


def tenant_scoped_tables() -> list[str]:
    """Every table with a `tenant_id` column: each gets an RLS policy on it."""
    return sorted(t.name for t in Base.metadata.sorted_tables if "tenant_id" in t.columns)
