"""Password hashing (argon2id) and the password policy.

Hashing is CPU- and memory-heavy on purpose, so it runs in a worker thread, never on the
event loop. A login for an unknown email still verifies against a dummy hash, so the
response time does not tell which emails are registered.
"""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from dashboard_api.errors import WeakPassword

MIN_LENGTH = 10
MAX_LENGTH = 128
# The most common choices that satisfy a length rule; a full breached-password list would
# be better (and would need shipping a data file).
_COMMON = frozenset(
    {
        "1234567890",
        "0123456789",
        "12345678910",
        "qwertyuiop",
        "password12",
        "password123",
        "password1234",
        "passw0rd123",
        "iloveyou12",
        "1q2w3e4r5t",
        "qwerty1234",
        "qwerty12345",
        "abcdefghij",
        "letmein123",
        "welcome123",
        "admin12345",
        "changeme12",
        "aaaaaaaaaa",
        "1111111111",
        "shopbot123",
        "woocommerce",
    }
)


def check_policy(password: str, *, email: str | None = None) -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"The password needs at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"The password may have at most {MAX_LENGTH} characters.")
    lowered = password.lower()
    if lowered in _COMMON or len(set(password)) < 4:
        raise WeakPassword("This password is too easy to guess; choose a less common one.")
    if email:
        local = email.split("@", 1)[0].lower()
        if lowered == email.lower() or (
            len(local) >= 4 and local in lowered and len(lowered) - len(local) < 4
        ):
            raise WeakPassword("The password must not be (mostly) your email address.")


class Passwords:
    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        # argon2-cffi's defaults follow RFC 9106's second recommendation (argon2id, 64 MiB).
        self._hasher = hasher or PasswordHasher()
        self._dummy_hash = self._hasher.hash("dummy password for timing equalisation")

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        return await asyncio.to_thread(self._verify, password_hash, password)

    def _verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return (
                self._hasher.verify(password_hash or self._dummy_hash, password)
                and password_hash is not None
            )
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True
