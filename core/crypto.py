"""Secrets at rest (store credentials, webhook secrets) and one-way hashes of tokens.

Credentials are encrypted with Fernet (AES-128-CBC + HMAC-SHA256). Keys rotate: the
first key encrypts, all keys decrypt, and `rotate()` re-encrypts an old ciphertext with
the newest key. Tokens that only need to be recognised (API keys, refresh tokens,
invitations) are stored as SHA-256 hashes: they are long random strings, so a fast hash
is enough and lookups stay indexable.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from core.errors import ConfigurationError


class SecretBox:
    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise ConfigurationError("no encryption key configured (SHOPBOT_ENCRYPTION_KEYS)")
        try:
            self._fernet = MultiFernet([Fernet(k.strip().encode()) for k in keys])
        except (ValueError, TypeError) as exc:
            raise ConfigurationError(
                "SHOPBOT_ENCRYPTION_KEYS holds a malformed Fernet key"
            ) from exc

    @classmethod
    def from_setting(cls, value: str) -> SecretBox:
        return cls([k for k in value.split(",") if k.strip()])

    def encrypt(self, plaintext: str) -> bytes:
        return self._fernet.encrypt(plaintext.encode())

    def decrypt(self, ciphertext: bytes) -> str:
        try:
            return self._fernet.decrypt(bytes(ciphertext)).decode()
        except InvalidToken as exc:
            raise ConfigurationError(
                "a stored secret cannot be decrypted with the configured keys"
            ) from exc

    def encrypt_json(self, value: dict[str, Any]) -> bytes:
        return self.encrypt(json.dumps(value, sort_keys=True))

    def decrypt_json(self, ciphertext: bytes) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.decrypt(ciphertext))
        return value

    def rotate(self, ciphertext: bytes) -> bytes:
        try:
            return self._fernet.rotate(bytes(ciphertext))
        except InvalidToken as exc:
            raise ConfigurationError(
                "a stored secret cannot be decrypted with the configured keys"
            ) from exc


def generate_key() -> str:
    return Fernet.generate_key().decode()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
