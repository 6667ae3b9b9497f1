"""Orders in MongoDB (collection ``orders``) through PyMongo's async API."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pymongo
from pymongo import ASCENDING, AsyncMongoClient
from pymongo.errors import (
    AutoReconnect,
    ConnectionFailure,
    ExecutionTimeout,
    NetworkTimeout,
    OperationFailure,
    PyMongoError,
    ServerSelectionTimeoutError,
    WTimeoutError,
)

from .errors import DatabaseUnavailable

COLLECTION = "orders"
LIST_LIMIT = 100
# Server answers that mean the same for a client as "unreachable": unauthorized (13), auth failed (18).
_UNAVAILABLE_CODES = {13, 18}


def is_unavailable(err: BaseException) -> bool:
    if isinstance(err, (ConnectionFailure, AutoReconnect, ServerSelectionTimeoutError, NetworkTimeout,
                        ExecutionTimeout, WTimeoutError, TimeoutError)):
        return True
    return isinstance(err, OperationFailure) and err.code in _UNAVAILABLE_CODES


def to_api(doc: dict[str, Any]) -> dict[str, Any]:
    """A stored order as the API returns it: string id, no _id, createdAt as ISO 8601 UTC."""
    created = doc.get("createdAt")
    if isinstance(created, datetime):
        if created.tzinfo is None:
            created = created.replace(tzinfo=UTC)
        created = created.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return {
        "id": doc["id"],
        "cartId": doc["cartId"],
        "items": doc["items"],
        "total": doc["total"],
        "currency": doc["currency"],
        "status": doc["status"],
        "createdAt": created,
    }


class MongoOrderStore:
    def __init__(self, uri: str, database: str, *, server_selection_timeout_ms: int = 5000) -> None:
        self.client: AsyncMongoClient = AsyncMongoClient(
            uri,
            appname="shopfront-order",
            tz_aware=True,
            serverSelectionTimeoutMS=server_selection_timeout_ms,
            connectTimeoutMS=min(server_selection_timeout_ms, 5000),
        )
        self.db = self.client[database]
        self.orders = self.db[COLLECTION]

    async def _call(self, coro):
        try:
            return await coro
        except PyMongoError as err:
            if is_unavailable(err):
                raise DatabaseUnavailable(f"{type(err).__name__}: {err}") from err
            raise

    async def ensure_indexes(self) -> None:
        """Idempotent: unique ``id`` and ``cartId``."""
        await self._call(self.orders.create_index([("id", ASCENDING)], unique=True, name="id_unique"))
        await self._call(self.orders.create_index([("cartId", ASCENDING)], name="cartId"))

    async def insert(self, order: dict[str, Any]) -> None:
        await self._call(self.orders.insert_one(dict(order)))

    async def get(self, order_id: str) -> dict[str, Any] | None:
        return await self._call(self.orders.find_one({"id": order_id}, {"_id": 0}))

    async def list_by_cart(self, cart_id: str, limit: int = LIST_LIMIT) -> list[dict[str, Any]]:
        async def run():
            cursor = self.orders.find({"cartId": cart_id}, {"_id": 0})
            cursor = cursor.sort([("createdAt", ASCENDING), ("id", ASCENDING)])
            return await cursor.to_list(length=limit)

        return await self._call(run())

    async def ping(self, timeout_s: float = 1.0) -> None:
        """Raises when MongoDB does not answer ``ping`` within timeout_s."""
        async with asyncio.timeout(timeout_s + 0.25):
            with pymongo.timeout(timeout_s):
                await self.client.admin.command("ping")

    async def close(self) -> None:
        await self.client.close()


def now_ms() -> datetime:
    """Now in UTC, truncated to milliseconds (what BSON dates keep), so the POST answer equals a later GET."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)
