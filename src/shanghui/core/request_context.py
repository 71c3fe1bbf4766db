"""Where the current request came from, for the audit log. Set by
``RequestContextMiddleware``; empty in background tasks and commands."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    ip: str | None = None
    user_agent: str = ""


current_origin: ContextVar[Origin | None] = ContextVar("current_origin", default=None)
