"""Decoding of the Kubernetes protobuf request bodies the emulator meets: helm 3 writes its release records
(Secrets, or ConfigMaps with HELM_DRIVER=configmap) with a protobuf client. Only those two kinds are decoded;
responses are always JSON (clients list JSON as an accepted fallback)."""

from __future__ import annotations

import base64
import datetime

MAGIC = b"k8s\x00"


def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def fields(buf: bytes) -> list[tuple[int, object]]:
    """(field number, value) pairs: ints for varints, bytes for length-delimited values."""
    out, pos = [], 0
    while pos < len(buf):
        key, pos = _varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(buf, pos)
        elif wire == 2:
            length, pos = _varint(buf, pos)
            value, pos = buf[pos:pos + length], pos + length
        elif wire == 1:
            value, pos = int.from_bytes(buf[pos:pos + 8], "little"), pos + 8
        elif wire == 5:
            value, pos = int.from_bytes(buf[pos:pos + 4], "little"), pos + 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        out.append((number, value))
    return out


def _map_entry(buf: bytes) -> tuple[str, bytes]:
    key, value = "", b""
    for number, v in fields(buf):
        if number == 1:
            key = v.decode()
        elif number == 2:
            value = v
    return key, value


def _time(buf: bytes) -> str:
    seconds = dict(fields(buf)).get(1, 0)
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def object_meta(buf: bytes) -> dict:
    meta: dict = {}
    strings = {1: "name", 2: "generateName", 3: "namespace", 5: "uid", 6: "resourceVersion"}
    for number, value in fields(buf):
        if number in strings:
            meta[strings[number]] = value.decode()
        elif number == 7:
            meta["generation"] = value
        elif number in (8, 9):
            meta["creationTimestamp" if number == 8 else "deletionTimestamp"] = _time(value)
        elif number in (11, 12):
            k, v = _map_entry(value)
            meta.setdefault("labels" if number == 11 else "annotations", {})[k] = v.decode()
        elif number == 13:
            ref: dict = {}
            names = {1: "kind", 3: "name", 4: "uid", 5: "apiVersion"}
            for n, v in fields(value):
                if n in names:
                    ref[names[n]] = v.decode()
                elif n in (6, 7):
                    ref["controller" if n == 6 else "blockOwnerDeletion"] = bool(v)
            meta.setdefault("ownerReferences", []).append(ref)
        elif number == 14:
            meta.setdefault("finalizers", []).append(value.decode())
    return meta


def _secret(raw: bytes) -> dict:
    obj: dict = {"metadata": {}}
    for number, value in fields(raw):
        if number == 1:
            obj["metadata"] = object_meta(value)
        elif number == 2:
            k, v = _map_entry(value)
            obj.setdefault("data", {})[k] = base64.b64encode(v).decode()
        elif number == 3:
            obj["type"] = value.decode()
        elif number == 4:
            k, v = _map_entry(value)
            obj.setdefault("stringData", {})[k] = v.decode()
        elif number == 5:
            obj["immutable"] = bool(value)
    return obj


def _configmap(raw: bytes) -> dict:
    obj: dict = {"metadata": {}}
    for number, value in fields(raw):
        if number == 1:
            obj["metadata"] = object_meta(value)
        elif number == 2:
            k, v = _map_entry(value)
            obj.setdefault("data", {})[k] = v.decode()
        elif number == 3:
            k, v = _map_entry(value)
            obj.setdefault("binaryData", {})[k] = base64.b64encode(v).decode()
        elif number == 4:
            obj["immutable"] = bool(value)
    return obj


def _delete_options(raw: bytes) -> dict:
    obj: dict = {}
    for number, value in fields(raw):
        if number == 1:
            obj["gracePeriodSeconds"] = value
        elif number == 4:
            obj["propagationPolicy"] = value.decode()
        elif number == 5:
            obj.setdefault("dryRun", []).append(value.decode())
    return obj


DECODERS = {("v1", "Secret"): _secret, ("v1", "ConfigMap"): _configmap, ("v1", "DeleteOptions"): _delete_options,
            ("meta.k8s.io/v1", "DeleteOptions"): _delete_options}


def decode(body: bytes) -> dict:
    """A protobuf-encoded object (magic prefix + runtime.Unknown) as the JSON-shaped dict."""
    if not body.startswith(MAGIC):
        raise ValueError("no k8s protobuf magic prefix")
    api_version = kind = ""
    raw = b""
    for number, value in fields(body[len(MAGIC):]):
        if number == 1:
            type_meta = dict(fields(value))
            api_version, kind = type_meta.get(1, b"").decode(), type_meta.get(2, b"").decode()
        elif number == 2:
            raw = value
    decoder = DECODERS.get((api_version, kind))
    if decoder is None:
        raise ValueError(f"{api_version} {kind} is not decoded from protobuf by the emulator")
    return {"apiVersion": api_version, "kind": kind, **decoder(raw)}
