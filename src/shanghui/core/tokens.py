"""Random secrets handed to people (invitation links, API tokens, one-time codes). Only
their SHA-256 is stored, so a database leak does not leak usable secrets."""

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_numeric_code(digits: int = 6) -> str:
    return f"{secrets.randbelow(10**digits):0{digits}d}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
