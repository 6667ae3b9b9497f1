"""X-Request-Id: taken from the caller when it is 1-128 characters of [A-Za-z0-9._-], else a new
UUID; kept in a context variable so every log line and outgoing call of the request carries it."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

REQUEST_ID_HEADER = "X-Request-Id"
_VALID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)


def request_id_for(incoming: str | None) -> str:
    """The caller's id when it is acceptable, else a fresh UUID4."""
    if incoming is not None and _VALID.fullmatch(incoming):
        return incoming
    return str(uuid.uuid4())


def current_request_id() -> str | None:
    return request_id_var.get()
