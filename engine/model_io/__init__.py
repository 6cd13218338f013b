"""What the engine and ingestion share for talking to models, besides embeddings: counting
tokens with tiktoken (offline) and the retry policy for OpenAI-compatible calls.

Ingestion may import this package and `engine.embeddings`, nothing else from the engine.
"""
