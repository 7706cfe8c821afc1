"""Password hashing with Argon2id (argon2-cffi's defaults)."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
DEMO_PASSWORDS = ("change-me",)
"""Passwords printed in the demo data and the docs: anyone can read them."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def is_demo_password(password: str) -> bool:
    return password in DEMO_PASSWORDS


def has_demo_password(password_hash: str) -> bool:
    return any(verify_password(password_hash, password) for password in DEMO_PASSWORDS)
