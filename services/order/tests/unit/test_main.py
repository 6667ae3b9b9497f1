import json
import signal

import pytest

from order.__main__ import OrderServer, main, uvicorn_config
from order.app import create_app

from .fakes import SETTINGS


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"PRODUCT_API_URL": "http://p"}, "MONGODB_URI"),
        ({"MONGODB_URI": "mongodb://u:hunter2@db:27017", "PRODUCT_API_URL": "http://p"}, "MONGODB_URI"),
        ({"MONGODB_URI": "mongodb://u:hunter2@db/orders"}, "PRODUCT_API_URL"),
        ({"MONGODB_URI": "mongodb://u:hunter2@db/orders", "PRODUCT_API_URL": "http://p",
          "PRODUCT_API_TIMEOUT_MS": "fast"}, "PRODUCT_API_TIMEOUT_MS"),
    ],
)
def test_config_error_is_one_json_line_and_exit_1(capsys, env, variable):
    assert main(env) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    entry = json.loads(out[0])
    assert entry["level"] == "fatal" and entry["service"] == "order"
    assert entry["variable"] == variable and variable in entry["msg"]
    assert "hunter2" not in out[0]


def test_uvicorn_config():
    config = uvicorn_config(object(), SETTINGS)
    assert (config.port, config.proxy_headers, config.server_header, config.access_log) == (8080, False, False, False)
    assert config.reload is False and config.log_config is None
    assert config.timeout_graceful_shutdown == pytest.approx(9.5)


def test_signal_flips_readiness_before_uvicorn_stops():
    app = create_app(SETTINGS)
    calls = []
    server = OrderServer(uvicorn_config(app, SETTINGS), on_exit_signal=lambda: calls.append(1))
    server.handle_exit(signal.SIGTERM, None)
    assert calls == [1] and server.should_exit
