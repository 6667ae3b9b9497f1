import io
import json
import logging
import sys
import uuid

import pytest

from order.logs import JsonFormatter, configure_logging, level_word
from order.request_id import request_id_for, request_id_var


@pytest.mark.parametrize("value", ["abc", "A.b_c-9", "x" * 128, "0"])
def test_valid_request_ids_are_kept(value):
    assert request_id_for(value) == value


@pytest.mark.parametrize("value", [None, "", "x" * 129, "has space", "semi;colon", "ünï", "a/b", "a\nb"])
def test_invalid_request_ids_are_replaced_by_uuid(value):
    out = request_id_for(value)
    assert out != value
    assert uuid.UUID(out).version == 4


def _record(msg="hello %s", args=("world",), level=logging.INFO, **extra):
    record = logging.LogRecord("order.test", level, __file__, 1, msg, args, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_json_line_has_contract_fields_and_extras():
    token = request_id_var.set("rid-1")
    try:
        line = JsonFormatter().format(_record(method="GET", route="/api/orders/:id", status=200, durationMs=1.5))
    finally:
        request_id_var.reset(token)
    entry = json.loads(line)
    assert "\n" not in line
    assert entry["level"] == "info" and entry["service"] == "order" and entry["msg"] == "hello world"
    assert entry["requestId"] == "rid-1"
    assert entry["time"].endswith("Z") and "T" in entry["time"]
    assert {k: entry[k] for k in ("method", "route", "status", "durationMs")} == {
        "method": "GET", "route": "/api/orders/:id", "status": 200, "durationMs": 1.5}


def test_no_request_id_outside_requests_and_exceptions_are_one_line():
    try:
        raise ValueError("boom")
    except ValueError:
        record = _record(level=logging.ERROR)
        record.exc_info = sys.exc_info()
    entry = json.loads(JsonFormatter().format(record))
    assert "requestId" not in entry
    assert entry["level"] == "error" and "ValueError: boom" in entry["err"]


def test_level_words():
    assert [level_word(n) for n in (10, 20, 30, 40, 50)] == ["debug", "info", "warn", "error", "fatal"]


def test_configure_logging_routes_uvicorn_through_json():
    stream = io.StringIO()
    configure_logging("info", stream=stream)
    try:
        logging.getLogger("uvicorn.error").info("Started server process [%d]", 1)
        logging.getLogger("uvicorn.access").info("should be dropped")
        logging.getLogger("order.x").debug("hidden at info")
        lines = [json.loads(line) for line in stream.getvalue().splitlines()]
        assert [e["msg"] for e in lines] == ["Started server process [1]"]
        assert lines[0]["logger"] == "uvicorn.error"
    finally:
        configure_logging("info")
