"""JSON logs, one object per line on stdout: time, level (as a word), service, msg, requestId
(from the request's context) and any ``extra`` fields (method, route, status, durationMs...)."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from . import SERVICE_NAME
from .request_id import current_request_id

# LOG_LEVEL words (as the Node services use them) -> stdlib levels.
LEVELS = {
    "trace": logging.DEBUG,
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warn": logging.WARNING,
    "error": logging.ERROR,
    "fatal": logging.CRITICAL,
    "silent": logging.CRITICAL + 10,
}
_WORDS = {logging.DEBUG: "debug", logging.INFO: "info", logging.WARNING: "warn",
          logging.ERROR: "error", logging.CRITICAL: "fatal"}

# Attributes every LogRecord has; anything else was passed through ``extra=``.
_STANDARD = set(vars(logging.LogRecord("x", logging.INFO, "x", 0, "x", None, None))) | {
    "message", "asctime", "color_message", "taskName",
}


def iso_time(created: float) -> str:
    return datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def level_word(levelno: int) -> str:
    return _WORDS.get(levelno, logging.getLevelName(levelno).lower())


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str = SERVICE_NAME) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": iso_time(record.created),
            "level": level_word(record.levelno),
            "service": self.service,
            "msg": record.getMessage(),
        }
        request_id = getattr(record, "requestId", None) or current_request_id()
        if request_id:
            entry["requestId"] = request_id
        if record.name and not record.name.startswith("order"):
            entry["logger"] = record.name
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["err"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure_logging(level: str = "info", stream=None) -> None:
    """Root logger -> one JSON handler on stdout; uvicorn's loggers propagate to it."""
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(LEVELS.get(level, logging.INFO))
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "pymongo", "httpx", "httpcore"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # Driver and HTTP client chatter only when asked for debug.
    quiet = logging.DEBUG if level in ("debug", "trace") else logging.WARNING
    for name in ("pymongo", "httpx", "httpcore"):
        logging.getLogger(name).setLevel(quiet)
    logging.getLogger("uvicorn.access").disabled = True  # replaced by our "request completed" line
