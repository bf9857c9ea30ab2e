"""Tokens and passwords. Tokens are 256-bit random strings, stored as SHA-256 (enough for secrets
of that entropy, and fast on every request); staff passwords use Werkzeug's scrypt hashing."""
from __future__ import annotations

import hashlib
import secrets

from werkzeug.security import check_password_hash, generate_password_hash

DEVICE_PREFIX = "mcd_"
ENROL_PREFIX = "mce_"
STAFF_PREFIX = "mcs_"
PASSWORD_METHOD = "scrypt"  # tests swap in a cheap method


def new_token(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=PASSWORD_METHOD)


def password_ok(stored_hash: str, password: str) -> bool:
    return check_password_hash(stored_hash, password)
