"""WooCommerce REST API (wc/v3): client, auth, typed errors and the product/review records."""

from ingestion.woocommerce.client import (
    PRODUCT_WEBHOOK_TOPICS,
    StoreInfo,
    WebhookRegistration,
    WooClient,
)
from ingestion.woocommerce.errors import (
    InsecureStoreUrl,
    NotAWordPressSite,
    NotWooCommerceStore,
    PrettyPermalinksDisabled,
    StoreCredentialsRejected,
    StoreMoved,
    StorePermissionDenied,
    StoreRateLimited,
    StoreRequestRejected,
    StoreResourceNotFound,
    StoreResponseMalformed,
    StoreServerError,
    StoreUnreachable,
    WooCommerceError,
)
from ingestion.woocommerce.listing import MAX_PER_PAGE, CatalogPage, ProductPage, to_wc_gmt
from ingestion.woocommerce.mapping import (
    ProductRecord,
    ReviewRecord,
    is_indexable,
    map_product,
    map_review,
    map_variation,
)
from ingestion.woocommerce.retry import RetryPolicy

__all__ = [
    "MAX_PER_PAGE",
    "PRODUCT_WEBHOOK_TOPICS",
    "CatalogPage",
    "InsecureStoreUrl",
    "NotAWordPressSite",
    "NotWooCommerceStore",
    "PrettyPermalinksDisabled",
    "ProductPage",
    "ProductRecord",
    "RetryPolicy",
    "ReviewRecord",
    "StoreCredentialsRejected",
    "StoreInfo",
    "StoreMoved",
    "StorePermissionDenied",
    "StoreRateLimited",
    "StoreRequestRejected",
    "StoreResourceNotFound",
    "StoreResponseMalformed",
    "StoreServerError",
    "StoreUnreachable",
    "WebhookRegistration",
    "WooClient",
    "WooCommerceError",
    "is_indexable",
    "map_product",
    "map_review",
    "map_variation",
    "to_wc_gmt",
]
