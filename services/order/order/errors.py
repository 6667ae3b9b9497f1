"""Errors as JSON {message, details?}: bad input is a 4xx saying what is wrong, never a 500."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class ApiError(Exception):
    def __init__(self, status: int, message: str, details: Sequence[Any] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = list(details) if details is not None else None
        self.headers = headers

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message}
        if self.details is not None:
            body["details"] = self.details
        return body


class DatabaseUnavailable(ApiError):
    def __init__(self, reason: str) -> None:
        super().__init__(503, "database unavailable, try again later")
        self.reason = reason


def _field(loc: Sequence[Any]) -> str:
    field = ""
    for part in loc:
        if isinstance(part, int):
            field += f"[{part}]"
        else:
            field += f".{part}" if field else str(part)
    return field


def validation_error(errors: Sequence[dict[str, Any]]) -> ApiError:
    """FastAPI's RequestValidationError.errors() -> 400 with one detail per violation."""
    details = []
    for err in errors:
        loc = list(err.get("loc") or ())
        location = str(loc.pop(0)) if loc and loc[0] in ("body", "query", "path", "header") else "request"
        if err.get("type") == "json_invalid":
            reason = (err.get("ctx") or {}).get("error", "invalid JSON")
            pos = f" at position {loc[-1]}" if loc and isinstance(loc[-1], int) else ""
            return ApiError(400, f"request body is not valid JSON: {reason}{pos}")
        field = _field(loc)
        message = str(err.get("msg", "invalid value"))
        if not field and location == "body" and err.get("type") in ("missing", "model_attributes_type", "dict_type"):
            message = "the request body must be a JSON object"
        detail = {"location": location, "message": message}
        if field:
            detail["field"] = field
        details.append(detail)
    summary = "; ".join(f"{d.get('field', d['location'])}: {d['message']}" for d in details[:3])
    if len(details) > 3:
        summary += f"; and {len(details) - 3} more"
    return ApiError(400, f"invalid request: {summary}", details)
