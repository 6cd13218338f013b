"""What an account export leaves out, column by column, and why.

A column is left out when it is a secret (a credential, a hash that would let someone
check a guessed key, a ciphertext of a key) or too big to be useful (embedding vectors,
search indexes: derived from text the export already has). Names that merely look secret
but are not (token *counts*, a content fingerprint, the public widget key) are listed in
`ALLOWED_LOOKALIKES` with the reason. tests/dashboard_api/test_privacy_tenant.py reads the
catalogue and fails when a column whose name looks secret is in neither list, so a new
secret column cannot slip into exports unnoticed.
"""

from __future__ import annotations

EXCLUDED_COLUMNS: dict[str, str] = {
    "credentials_ciphertext": "the store's API credentials (encrypted)",
    "webhook_secret_ciphertext": "the store webhooks' signing secret (encrypted)",
    "llm_api_key_ciphertext": "a bot's own model API key (encrypted)",
    "handoff_email_ciphertext": "a shopper's hand-off email, sealed with the platform's key "
    "(useless outside it; the conversation's hand-off panel and the shopper's own export "
    "show it decrypted)",
    "key_hash": "the hash of an API key (would let a guessed key be checked)",
    "token_hash": "the hash of an invitation or sign-in token",
    "password_hash": "a password hash",
    "embedding": "embedding vectors: large, and derived from the text that is exported",
    "search_vector": "the full-text search index: derived from the text that is exported",
}

# Catalogue types never exported whatever the column's name (see README.txt in the zip).
EXCLUDED_TYPES: dict[str, str] = {
    "vector": "embedding vectors (too big; recomputed from the exported text)",
    "halfvec": "embedding vectors at half precision (as `vector`)",
    "tsvector": "search indexes (derived from the exported text)",
}

ALLOWED_LOOKALIKES: dict[str, str] = {
    "widget_key": "public: it is in the snippet on the store's own pages",
    "content_hash": "a fingerprint of exported content, used to skip unchanged re-indexing",
    "prompt_tokens": "a count of model tokens",
    "completion_tokens": "a count of model tokens",
    "platform_tokens": "a count of model tokens",
    "token_count": "a count of model tokens",
    "first_token_ms": "a latency in milliseconds",
}

# What a name that "looks secret" is, for the test over the catalogue (SQL LIKE patterns;
# `%key%` does not cover ids, `..._id`, which are references, not keys).
SECRET_LOOKING = ("%secret%", "%hash%", "%key%", "%token%", "%password%", "%encrypted%", "%cipher%")


def exported(name: str, type_name: str) -> bool:
    return name not in EXCLUDED_COLUMNS and type_name not in EXCLUDED_TYPES
