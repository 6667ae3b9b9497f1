"""Configuration from the environment only.

Every reader returns the parsed value or raises ConfigError naming the variable and what it
expects; ``python -m order`` turns that into one JSON log line and exit code 1. Messages never
carry the MongoDB password (the URI is shown redacted).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from pymongo.errors import PyMongoError
from pymongo.uri_parser import parse_uri

LOG_LEVELS = ("fatal", "error", "warn", "info", "debug", "trace", "silent")
# Characters MongoDB forbids in database names (on any platform).
_BAD_DB_CHARS = re.compile(r'[/\\. "$*<>:|?\x00]')
_INT = re.compile(r"^-?\d+$")
_MONGO_EXPECTS = (
    "a mongodb:// or mongodb+srv:// URI whose path names the database, "
    "e.g. mongodb://user:pass@mongodb:27017/orders?authSource=admin"
)


class ConfigError(Exception):
    """A missing or malformed environment variable."""

    def __init__(self, variable: str, message: str) -> None:
        super().__init__(message)
        self.variable = variable


@dataclass(frozen=True)
class Settings:
    port: int
    mongodb_uri: str
    mongodb_db: str
    mongodb_uri_redacted: str
    product_api_url: str
    product_api_timeout_ms: int = 2000
    log_level: str = "info"
    shutdown_timeout_ms: int = 10000

    @property
    def product_api_timeout_s(self) -> float:
        return self.product_api_timeout_ms / 1000

    @property
    def shutdown_timeout_s(self) -> float:
        return self.shutdown_timeout_ms / 1000


def _raw(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name)
    return None if value is None or value == "" else value


def int_var(env: Mapping[str, str], name: str, *, default: int | None = None,
            minimum: int = 0, maximum: int = 2**31 - 1) -> int:
    value = _raw(env, name)
    if value is None:
        if default is None:
            raise ConfigError(name, f"{name} is required: an integer between {minimum} and {maximum}")
        return default
    text = value.strip()
    if not _INT.match(text) or not minimum <= int(text) <= maximum:
        raise ConfigError(name, f"{name} must be an integer between {minimum} and {maximum} (got {value!r})")
    return int(text)


def enum_var(env: Mapping[str, str], name: str, choices: tuple[str, ...], *, default: str) -> str:
    value = _raw(env, name)
    if value is None:
        return default
    v = value.strip().lower()
    if v not in choices:
        raise ConfigError(name, f"{name} must be one of {', '.join(choices)} (got {value!r})")
    return v


def url_var(env: Mapping[str, str], name: str) -> str:
    """An absolute http(s) URL with a host and no credentials, query or fragment; no trailing slash."""
    value = _raw(env, name)
    expects = "an http:// or https:// URL, e.g. http://product:8080"
    if value is None:
        raise ConfigError(name, f"{name} is required: {expects}")
    text = value.strip()
    try:
        parts = urlsplit(text)
        _ = parts.port  # raises ValueError on a bad port
    except ValueError:
        raise ConfigError(name, f"{name} must be {expects} (got {value!r})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(name, f"{name} must be {expects} (got {value!r})")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise ConfigError(name, f"{name} must be {expects} without credentials, query or fragment (got {value!r})")
    return text.rstrip("/")


_USERINFO = re.compile(r"^([a-z][a-z0-9+.-]*://[^:/?#@]*):[^/?#]*@", re.IGNORECASE)


def redact_uri(uri: str) -> str:
    """The URI with its password replaced by ``***`` (safe to log). Never raises."""
    if not isinstance(uri, str):
        return uri
    return _USERINFO.sub(r"\1:***@", uri)


def mongo_uri_var(env: Mapping[str, str], name: str = "MONGODB_URI") -> tuple[str, str, str]:
    """Returns (uri, database, redacted uri)."""
    value = _raw(env, name)
    if value is None:
        raise ConfigError(name, f"{name} is required: {_MONGO_EXPECTS}")
    uri = value.strip()
    redacted = redact_uri(uri)
    scheme, sep, rest = uri.partition("://")
    if not sep or scheme.lower() not in ("mongodb", "mongodb+srv"):
        raise ConfigError(name, f"{name} must be {_MONGO_EXPECTS} (got {redacted})")
    authority, slash, path_and_query = rest.partition("/")
    if not authority.rpartition("@")[2]:
        raise ConfigError(name, f"{name} must be {_MONGO_EXPECTS}: no host (got {redacted})")
    database = unquote(path_and_query.split("?", 1)[0]) if slash else ""
    if not database:
        raise ConfigError(name, f"{name} must be {_MONGO_EXPECTS}: the path names no database (got {redacted})")
    if _BAD_DB_CHARS.search(database) or len(database) > 63:
        raise ConfigError(name, f"{name}: {database!r} is not a valid MongoDB database name (got {redacted})")
    if scheme.lower() == "mongodb":  # mongodb+srv would need DNS here: the driver checks it later
        try:
            parse_uri(uri)
        except (PyMongoError, ValueError) as err:
            reason = str(err).splitlines()[0] if str(err) else type(err).__name__
            password = _password(uri)
            if password:
                reason = reason.replace(password, "***")
            raise ConfigError(name, f"{name} must be {_MONGO_EXPECTS} ({reason}; got {redacted})") from None
    return uri, database, redacted


def _password(uri: str) -> str:
    match = re.match(r"^[a-z][a-z0-9+.-]*://[^:/?#@]*:([^/?#]*)@", uri, re.IGNORECASE)
    return match.group(1) if match else ""


def load_settings(env: Mapping[str, str]) -> Settings:
    uri, database, redacted = mongo_uri_var(env)
    return Settings(
        port=int_var(env, "PORT", default=8080, minimum=1, maximum=65535),
        mongodb_uri=uri,
        mongodb_db=database,
        mongodb_uri_redacted=redacted,
        product_api_url=url_var(env, "PRODUCT_API_URL"),
        product_api_timeout_ms=int_var(env, "PRODUCT_API_TIMEOUT_MS", default=2000, minimum=1, maximum=600000),
        log_level=enum_var(env, "LOG_LEVEL", LOG_LEVELS, default="info"),
        shutdown_timeout_ms=int_var(env, "SHUTDOWN_TIMEOUT_MS", default=10000, minimum=0, maximum=3600000),
    )
