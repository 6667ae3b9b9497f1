"""The order API: FastAPI app, request context middleware, error handlers and routes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, field_validator
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from .config import Settings
from .errors import ApiError, validation_error
from .metrics import Metrics
from .pricing import MixedCurrencies, price_order
from .products import ProductApiUnavailable, ProductClient, UnknownProducts
from .request_id import request_id_for, request_id_var
from .store import MongoOrderStore, now_ms, to_api

log = logging.getLogger("order.http")

BODY_LIMIT = 64 * 1024
MAX_ITEMS = 50
MAX_QUANTITY = 99
MAX_ID_LENGTH = 128
READY_TIMEOUT_S = 1.0
INDEX_STARTUP_WAIT_S = 5.0
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


# Request bodies ------------------------------------------------------------------------------
class OrderItemIn(BaseModel):
    # Anything else a client sends (unitPrice, price, name...) is ignored: prices come from the product API.
    model_config = ConfigDict(extra="ignore")
    productId: StrictStr = Field(min_length=1, max_length=MAX_ID_LENGTH)
    quantity: StrictInt = Field(ge=1, le=MAX_QUANTITY)


class OrderIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    cartId: StrictStr = Field(min_length=1, max_length=MAX_ID_LENGTH)
    items: list[OrderItemIn] = Field(min_length=1, max_length=MAX_ITEMS)

    @field_validator("cartId")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("cartId must not be blank")
        return value


# Middleware ----------------------------------------------------------------------------------
class BodyTooLarge(Exception):
    pass


def route_template(scope: dict[str, Any]) -> str:
    """The matched route as a template (/api/orders/:id), or "unmatched"."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if not path:
        return "unmatched"
    return re.sub(r"\{([^}:]+)(:[^}]*)?\}", r":\1", path)


class RequestContextMiddleware:
    """Request id (context + response header), body limit, one log line and metrics per request,
    and a JSON 500 for anything unhandled."""

    def __init__(self, app, metrics: Metrics, body_limit: int = BODY_LIMIT) -> None:
        self.app = app
        self.metrics = metrics
        self.body_limit = body_limit

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or ()}
        request_id = request_id_for(headers.get("x-request-id"))
        token = request_id_var.set(request_id)
        status = 500
        started = False

        async def send_wrapper(message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [(k, v) for k, v in message["headers"] if k.lower() != b"x-request-id"]
                message["headers"].append((b"x-request-id", request_id.encode("latin-1")))
            await send(message)

        received = 0

        async def receive_wrapper():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.body_limit:
                    raise BodyTooLarge()
            return message

        try:
            length = headers.get("content-length", "")
            if length.isdigit() and int(length) > self.body_limit:
                message = f"request body larger than {self.body_limit} bytes"
                await self._send_json(send_wrapper, 413, {"message": message})
            else:
                await self.app(scope, receive_wrapper, send_wrapper)
        except Exception:
            log.exception("unhandled error", extra={"method": scope.get("method"), "route": route_template(scope)})
            if not started:
                await self._send_json(send_wrapper, 500, {"message": "internal server error"})
            status = 500
        finally:
            duration = time.perf_counter() - start
            route = route_template(scope)
            method = scope.get("method", "")
            self.metrics.observe(method, route, status, duration)
            log.log(logging.ERROR if status >= 500 else logging.INFO, "request completed", extra={
                "method": method, "route": route, "status": status, "durationMs": round(duration * 1000, 3),
            })
            request_id_var.reset(token)

    @staticmethod
    async def _send_json(send, status: int, body: dict[str, Any]) -> None:
        response = JSONResponse(body, status_code=status)
        await send({"type": "http.response.start", "status": status, "headers": response.raw_headers})
        await send({"type": "http.response.body", "body": response.body})


# Error handlers ------------------------------------------------------------------------------
def _api_error_response(err: ApiError) -> JSONResponse:
    return JSONResponse(err.body(), status_code=err.status, headers=err.headers)


async def _on_api_error(request: Request, err: ApiError) -> JSONResponse:
    if err.status >= 500:
        log.warning("request failed: %s", err.message, extra={"reason": getattr(err, "reason", None) or err.message})
    return _api_error_response(err)


async def _on_validation_error(request: Request, err: RequestValidationError) -> JSONResponse:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if request.method == "POST" and content_type and content_type != "application/json" \
            and not content_type.endswith("+json"):
        return JSONResponse({"message": f"Content-Type must be application/json (got {content_type})"},
                            status_code=415)
    return _api_error_response(validation_error(err.errors()))


async def _on_http_exception(request: Request, err: StarletteHTTPException) -> Response:
    headers = dict(err.headers or {})
    if isinstance(err.__cause__, BodyTooLarge):
        return JSONResponse({"message": f"request body larger than {BODY_LIMIT} bytes"}, status_code=413)
    if err.status_code == 404 and err.detail == "Not Found":
        message = f"no route {request.method} {request.url.path}"
    elif err.status_code == 405:
        message = f"method {request.method} not allowed on {request.url.path}"
        headers["Allow"] = ", ".join(_allowed_methods(request))
    else:
        message = str(err.detail)
    if err.status_code in (204, 304):
        return Response(status_code=err.status_code, headers=headers)
    return JSONResponse({"message": message}, status_code=err.status_code, headers=headers)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves on this path (Starlette's Allow names only the first route's)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches({**request.scope, "method": "__none__"})
        if match != Match.NONE:
            methods.update(getattr(route, "methods", None) or ())
    return sorted(methods)


# App -----------------------------------------------------------------------------------------
def begin_shutdown(app: FastAPI) -> None:
    """From the signal handler on: /ready answers 503."""
    app.state.shutting_down = True


def create_app(settings: Settings, *, store: Any = None, catalog: Any = None,
               metrics: Metrics | None = None) -> FastAPI:
    metrics = metrics or Metrics()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = store or MongoOrderStore(settings.mongodb_uri, settings.mongodb_db)
        app.state.catalog = catalog or ProductClient(settings.product_api_url, settings.product_api_timeout_s)
        task = asyncio.create_task(_ensure_indexes(app))
        await asyncio.wait({task}, timeout=INDEX_STARTUP_WAIT_S)
        log.info("order service started", extra={
            "mongodb": settings.mongodb_uri_redacted, "database": settings.mongodb_db,
            "productApi": settings.product_api_url, "port": settings.port,
        })
        try:
            yield
        finally:
            app.state.shutting_down = True
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await app.state.catalog.aclose()
            await app.state.store.close()
            log.info("stopped: MongoDB client and product API client closed")

    app = FastAPI(title="shopfront-order", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.settings = settings
    app.state.metrics = metrics
    app.state.shutting_down = False
    app.state.indexes_ready = False
    app.add_middleware(RequestContextMiddleware, metrics=metrics)
    app.add_exception_handler(ApiError, _on_api_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_exception)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/ready")
    async def ready(request: Request) -> JSONResponse:
        state = request.app.state
        if state.shutting_down:
            return _unavailable("shutting down")
        try:
            await state.store.ping(READY_TIMEOUT_S)
        except Exception as err:  # any failure means "not ready"; the reason says which
            reason = str(err).split("\n")[0][:200] or "no answer"
            return _unavailable(f"mongodb ping failed: {type(err).__name__}: {reason}")
        if not state.indexes_ready:
            return _unavailable("indexes not created yet")
        return JSONResponse({"status": "ready"})

    @app.get("/metrics")
    async def prometheus_metrics() -> Response:
        return Response(metrics.render(), media_type=metrics.content_type)

    @app.post("/api/orders", status_code=201)
    async def place_order(order_in: OrderIn, request: Request) -> JSONResponse:
        state = request.app.state
        items = [(item.productId, item.quantity) for item in order_in.items]
        seen: set[str] = set()
        for index, (product_id, _) in enumerate(items):
            if product_id in seen:
                raise ApiError(400, f"invalid request: items[{index}].productId: duplicate product {product_id}",
                               [{"location": "body", "field": f"items[{index}].productId",
                                 "message": f"duplicate product {product_id}"}])
            seen.add(product_id)
        try:
            products = await state.catalog.get_many([pid for pid, _ in items])
        except UnknownProducts as err:
            details = [{"location": "body", "field": f"items[{i}].productId", "message": f"unknown product {pid}"}
                       for i, (pid, _) in enumerate(items) if pid in err.product_ids]
            raise ApiError(400, str(err), details) from err
        except ProductApiUnavailable as err:
            log.warning("product API unavailable", extra={"reason": str(err)})
            raise ApiError(503, "product API unavailable, try again later") from err
        try:
            priced = price_order(items, products)
        except MixedCurrencies as err:
            raise ApiError(400, f"cannot place one order: {err}") from err
        order = {
            "id": str(uuid.uuid4()),
            "cartId": order_in.cartId,
            "items": priced.items,
            "total": priced.total,
            "currency": priced.currency,
            "status": "PLACED",
            "createdAt": now_ms(),
        }
        await state.store.insert(order)
        log.info("order placed", extra={"orderId": order["id"], "cartId": order["cartId"],
                                        "total": order["total"], "lines": len(items)})
        return JSONResponse(to_api(order), status_code=201, headers={"Location": f"/api/orders/{order['id']}"})

    @app.get("/api/orders")
    async def list_orders(request: Request,
                          cartId: Annotated[str | None, Query(max_length=MAX_ID_LENGTH)] = None) -> JSONResponse:
        if cartId is None or not cartId.strip():
            raise ApiError(400, "invalid request: cartId: the cartId query parameter is required",
                           [{"location": "query", "field": "cartId", "message": "required"}])
        docs = await request.app.state.store.list_by_cart(cartId)
        return JSONResponse([to_api(doc) for doc in docs])

    @app.get("/api/orders/{id}")
    async def get_order(id: str, request: Request) -> JSONResponse:
        if not _UUID.match(id):
            raise ApiError(400, f"invalid order id {id[:MAX_ID_LENGTH]!r}: expected a UUID",
                           [{"location": "path", "field": "id", "message": "expected a UUID"}])
        order_id = str(uuid.UUID(id))
        doc = await request.app.state.store.get(order_id)
        if doc is None:
            raise ApiError(404, f"order {order_id} not found")
        return JSONResponse(to_api(doc))

    return app


def _unavailable(reason: str) -> JSONResponse:
    return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)


async def _ensure_indexes(app: FastAPI) -> None:
    """Create the indexes, retrying in the background while MongoDB cannot be reached."""
    delay = 1.0
    while True:
        try:
            await app.state.store.ensure_indexes()
        except Exception as err:  # keep serving; /ready reports 503 until this succeeds
            log.warning("could not create indexes, retrying", extra={
                "reason": f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"[:300],
                "retryInS": delay})
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)
        else:
            app.state.indexes_ready = True
            log.info("indexes ready", extra={"collection": "orders", "indexes": ["id_unique", "cartId"]})
            return
