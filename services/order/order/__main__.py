"""``python -m order``: read the environment, then serve with uvicorn on 0.0.0.0:$PORT.

SIGTERM/SIGINT: /ready turns 503 at once, uvicorn stops accepting connections, in-flight requests
finish (up to SHUTDOWN_TIMEOUT_MS), the lifespan closes the MongoDB client, exit code 0.
A configuration error is one JSON log line naming the variable, exit code 1.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import Callable, Mapping

import uvicorn

from .app import begin_shutdown, create_app
from .config import ConfigError, Settings, load_settings
from .logs import configure_logging

log = logging.getLogger("order.main")
# Time kept for the lifespan shutdown (closing the clients) out of SHUTDOWN_TIMEOUT_MS.
CLOSE_MARGIN_S = 0.5


class OrderServer(uvicorn.Server):
    """uvicorn.Server that tells the app as soon as a shutdown signal arrives."""

    def __init__(self, config: uvicorn.Config, on_exit_signal: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_exit_signal = on_exit_signal

    def handle_exit(self, sig, frame) -> None:
        if not self.should_exit:
            log.info("shutdown requested", extra={"signal": signal.Signals(sig).name})
        self._on_exit_signal()
        super().handle_exit(sig, frame)


def uvicorn_config(app, settings: Settings) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host="0.0.0.0",  # noqa: S104 - a container listens on all its interfaces
        port=settings.port,
        reload=False,
        workers=None,
        lifespan="on",
        log_config=None,  # our JSON handler on the root logger (logs.configure_logging)
        access_log=False,  # replaced by our "request completed" line
        proxy_headers=False,
        server_header=False,
        date_header=True,
        timeout_graceful_shutdown=max(0.1, settings.shutdown_timeout_s - CLOSE_MARGIN_S),
    )


def _ignore_signal(signum, frame) -> None:
    """Installed before uvicorn runs: uvicorn restores it and re-raises the signal it handled
    gracefully, which would otherwise kill the process (exit 143 instead of 0)."""


def main(env: Mapping[str, str] | None = None) -> int:
    env = os.environ if env is None else env
    configure_logging(str(env.get("LOG_LEVEL") or "info").strip().lower())
    try:
        settings = load_settings(env)
    except ConfigError as err:
        log.critical("invalid configuration: %s", err, extra={"variable": err.variable})
        return 1
    configure_logging(settings.log_level)
    app = create_app(settings)
    server = OrderServer(uvicorn_config(app, settings), on_exit_signal=lambda: begin_shutdown(app))
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, _ignore_signal)
    server.run()
    if not server.started:
        log.critical("start-up failed")
        return 1
    log.info("exiting", extra={"exitCode": 0})
    return 0


if __name__ == "__main__":
    sys.exit(main())
