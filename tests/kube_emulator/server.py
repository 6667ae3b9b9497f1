"""A small in-memory Kubernetes API server for offline tests (standard library only).

It serves discovery, CRUD, list/selectors, the patch formats, a minimal watch and server-side tables to
kubectl, helm 3 and the kubernetes python client. It runs no controllers: see README.md for what it does not do.
"""

from __future__ import annotations

import base64
import collections
import copy
import datetime
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import protobuf
from .patching import PatchError, field_matcher, json_patch, label_matcher, merge_patch
from .resources import BUILTIN, VERBS, Resource, from_crd

GIT_VERSION = "v1.32.0"
SYSTEM_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class ApiError(Exception):
    def __init__(self, code: int, reason: str, message: str, details: dict | None = None):
        super().__init__(message)
        self.code, self.reason, self.message, self.details = code, reason, message, details or {}

    def status(self) -> dict:
        return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": self.message, "reason": self.reason, "details": self.details, "code": self.code}


def not_found(res: Resource, name: str) -> ApiError:
    what = f"{res.plural}.{res.group}" if res.group else res.plural
    return ApiError(404, "NotFound", f'{what} "{name}" not found',
                    {"name": name, "group": res.group, "kind": res.plural})


def _comparable(obj: dict) -> dict:
    obj = copy.deepcopy(obj)
    meta = obj.get("metadata", {})
    for key in ("resourceVersion", "managedFields", "generation"):
        meta.pop(key, None)
    return obj


class Store:
    """Objects keyed by (group, plural, namespace, name); one resourceVersion counter for all of them."""

    def __init__(self):
        self.cond = threading.Condition()
        self.rv = 1
        self.objects: dict[tuple[str, str, str, str], dict] = {}
        self.resources: dict[tuple[str, str], Resource] = {}
        self.events: collections.deque = collections.deque(maxlen=20000)
        for res in BUILTIN:
            self.resources[(res.group, res.plural)] = res
        ns_res = self.resources[("", "namespaces")]
        for ns in SYSTEM_NAMESPACES:
            with self.cond:
                self.create(ns_res, "v1", None, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})

    # -- resource table ------------------------------------------------------------------------------------
    def groups(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for res in self.resources.values():
            versions = out.setdefault(res.group, [])
            for v in res.versions:
                if v not in versions:
                    versions.append(v)
        return out

    def lookup(self, group: str, version: str, plural: str) -> Resource:
        res = self.resources.get((group, plural))
        if res is None or version not in res.versions:
            raise ApiError(404, "NotFound", "the server could not find the requested resource", {})
        return res

    # -- helpers ------------------------------------------------------------------------------------------
    def _next_rv(self) -> str:
        self.rv += 1
        return str(self.rv)

    def _record(self, kind: str, res: Resource, obj: dict):
        self.events.append((int(obj["metadata"]["resourceVersion"]), kind, res.group, res.plural,
                            copy.deepcopy(obj)))
        self.cond.notify_all()

    def _key(self, res, namespace, name):
        return (res.group, res.plural, namespace or "" if res.namespaced else "", name)

    def _check_namespace(self, res: Resource, namespace: str | None):
        if res.namespaced:
            if not namespace:
                raise ApiError(400, "BadRequest", "the namespace of the object is required")
            if ("", "namespaces", "", namespace) not in self.objects:
                raise ApiError(404, "NotFound", f'namespaces "{namespace}" not found',
                               {"name": namespace, "kind": "namespaces"})
            ns = self.objects[("", "namespaces", "", namespace)]
            if ns["metadata"].get("deletionTimestamp"):
                raise ApiError(403, "Forbidden", f"unable to create new content in namespace {namespace} "
                                                 "because it is being terminated")

    @staticmethod
    def _api_version(res: Resource, version: str) -> str:
        return f"{res.group}/{version}" if res.group else version

    def _prepare(self, res: Resource, version: str, obj: dict):
        """Defaulting the emulator does (a small subset of the real API server's)."""
        obj["apiVersion"] = self._api_version(res, version)
        obj["kind"] = res.kind
        if res.kind == "Secret":
            obj.setdefault("type", "Opaque")
            string_data = obj.pop("stringData", None) or {}
            if string_data:
                data = obj.setdefault("data", {}) or {}
                for k, v in string_data.items():
                    data[k] = base64.b64encode(str(v).encode()).decode()
                obj["data"] = data
        elif res.kind == "Namespace":
            obj.setdefault("spec", {"finalizers": ["kubernetes"]})
            obj["status"] = {"phase": "Terminating" if obj["metadata"].get("deletionTimestamp") else "Active"}
        elif res.kind == "Service":
            spec = obj.setdefault("spec", {})
            spec.setdefault("type", "ClusterIP")
            if spec["type"] != "ExternalName" and "clusterIP" not in spec:
                n = self.rv % 65000
                spec["clusterIP"] = f"10.96.{n // 250}.{n % 250 + 1}"
                spec["clusterIPs"] = [spec["clusterIP"]]
        elif res.kind in ("Deployment", "StatefulSet", "ReplicaSet"):
            obj.setdefault("spec", {}).setdefault("replicas", 1)
        if res.kind == "Namespace" or not res.namespaced:
            obj["metadata"].pop("namespace", None)
        meta = obj["metadata"]
        for key in ("labels", "annotations"):
            if meta.get(key) is not None and not isinstance(meta[key], dict):
                raise ApiError(400, "BadRequest", f"metadata.{key} must be a map")
            for k, v in (meta.get(key) or {}).items():
                if not isinstance(v, str):
                    raise ApiError(400, "BadRequest", f"metadata.{key}.{k}: a string is required")

    # -- verbs --------------------------------------------------------------------------------------------
    def get(self, res, namespace, name) -> dict:
        obj = self.objects.get(self._key(res, namespace, name))
        if obj is None:
            raise not_found(res, name)
        return obj

    def list(self, res, namespace, labels=None, fields=None) -> list[dict]:
        match_labels, match_fields = label_matcher(labels), field_matcher(fields)
        out = []
        for (group, plural, ns, _), obj in sorted(self.objects.items()):
            if (group, plural) != (res.group, res.plural) or (namespace and ns != namespace):
                continue
            if match_labels(obj["metadata"].get("labels")) and match_fields(obj):
                out.append(obj)
        return out

    def create(self, res, version, namespace, body, dry_run=False) -> dict:
        obj = copy.deepcopy(body)
        if not isinstance(obj, dict):
            raise ApiError(400, "BadRequest", "the body of the request is not an object")
        meta = obj.setdefault("metadata", {}) or {}
        obj["metadata"] = meta
        if not meta.get("name") and meta.get("generateName"):
            meta["name"] = meta["generateName"] + uuid.uuid4().hex[:5]
        if not meta.get("name"):
            raise ApiError(422, "Invalid", f"{res.kind} is invalid: metadata.name: Required value")
        if body.get("kind") and body["kind"] != res.kind:
            raise ApiError(400, "BadRequest", f"the kind {body['kind']!r} does not match {res.kind!r}")
        if res.namespaced:
            if meta.get("namespace") and namespace and meta["namespace"] != namespace:
                raise ApiError(400, "BadRequest", "the namespace of the provided object does not match "
                                                  "the namespace sent on the request")
            namespace = namespace or meta.get("namespace")
            meta["namespace"] = namespace
        self._check_namespace(res, namespace)
        key = self._key(res, namespace, meta["name"])
        if key in self.objects:
            what = f"{res.plural}.{res.group}" if res.group else res.plural
            raise ApiError(409, "AlreadyExists", f'{what} "{meta["name"]}" already exists',
                           {"name": meta["name"], "group": res.group, "kind": res.plural})
        for k in ("resourceVersion", "deletionTimestamp", "managedFields"):
            meta.pop(k, None)
        self._prepare(res, version, obj)
        meta["uid"] = str(uuid.uuid4())
        meta["creationTimestamp"] = now()
        if "spec" in obj or res.group:
            meta["generation"] = 1
        if res.status and res.kind not in ("Namespace", "Service"):
            obj.pop("status", None)
        if dry_run:
            meta["resourceVersion"] = str(self.rv)
            return obj
        meta["resourceVersion"] = self._next_rv()
        self.objects[key] = obj
        self._record("ADDED", res, obj)
        if res.kind == "CustomResourceDefinition":
            self._register_crd(obj)
        return obj

    def update(self, res, version, namespace, name, body, subresource=None, dry_run=False,
               check_rv=True) -> dict:
        old = self.get(res, namespace, name)
        if not isinstance(body, dict):
            raise ApiError(400, "BadRequest", "the body of the request is not an object")
        new = copy.deepcopy(body)
        meta = new.setdefault("metadata", {}) or {}
        new["metadata"] = meta
        if meta.get("name", name) != name:
            raise ApiError(400, "BadRequest", "the name of the object does not match the name on the URL")
        sent_rv = meta.get("resourceVersion")
        if check_rv and sent_rv and sent_rv != old["metadata"]["resourceVersion"]:
            what = f"{res.plural}.{res.group}" if res.group else res.plural
            raise ApiError(409, "Conflict", f'Operation cannot be fulfilled on {what} "{name}": the object has '
                                            "been modified; please apply your changes to the latest version "
                                            "and try again", {"name": name, "group": res.group, "kind": res.plural})
        if subresource == "status":
            merged = copy.deepcopy(old)
            merged["status"] = new.get("status")
            if merged["status"] is None:
                merged.pop("status")
            new = merged
        elif subresource not in (None, "finalize"):
            raise ApiError(404, "NotFound", f"the server could not find the requested resource ({subresource})")
        elif res.status and "status" in old and res.kind != "Namespace":
            new["status"] = copy.deepcopy(old["status"])
        elif res.status:
            new.pop("status", None)
        meta = new["metadata"]
        for k in ("uid", "creationTimestamp", "generation", "deletionTimestamp"):
            if k in old["metadata"]:
                meta[k] = old["metadata"][k]
            else:
                meta.pop(k, None)
        meta["name"] = name
        if res.namespaced:
            meta["namespace"] = namespace
        meta["resourceVersion"] = old["metadata"]["resourceVersion"]
        self._prepare(res, version, new)
        if _comparable(new) == _comparable(old):
            return old
        if "generation" in meta and subresource is None and (
                {k: v for k, v in new.items() if k not in ("metadata", "status")}
                != {k: v for k, v in old.items() if k not in ("metadata", "status")}):
            meta["generation"] = old["metadata"]["generation"] + 1
        if dry_run:
            return new
        meta["resourceVersion"] = self._next_rv()
        self.objects[self._key(res, namespace, name)] = new
        if meta.get("deletionTimestamp") and not meta.get("finalizers"):
            return self._remove(res, new)
        self._record("MODIFIED", res, new)
        if res.kind == "CustomResourceDefinition":
            self._register_crd(new)
        return new

    def patch(self, res, version, namespace, name, content_type, patch, subresource=None, dry_run=False):
        try:
            old = self.get(res, namespace, name)
        except ApiError:
            if content_type.startswith("application/apply-patch"):
                if subresource:
                    raise
                body = copy.deepcopy(patch)
                body.setdefault("metadata", {})["name"] = name
                return self.create(res, version, namespace, body, dry_run), True
            raise
        current = copy.deepcopy(old)
        try:
            if content_type.startswith("application/json-patch+json"):
                new = json_patch(current, patch)
            elif content_type.startswith("application/strategic-merge-patch+json"):
                new = merge_patch(current, patch, strategic=True)
            elif content_type.startswith(("application/merge-patch+json", "application/apply-patch")):
                if not isinstance(patch, dict):
                    raise PatchError("a merge patch must be an object")
                if content_type.startswith("application/apply-patch"):
                    patch = copy.deepcopy(patch)
                    patch.get("metadata", {}).pop("resourceVersion", None)
                new = merge_patch(current, patch)
            else:
                raise ApiError(415, "UnsupportedMediaType", "the body of the request was in an unknown format "
                                                            "- accepted media types include: application/"
                                                            "json-patch+json, application/merge-patch+json, "
                                                            "application/apply-patch+yaml, application/"
                                                            "strategic-merge-patch+json")
        except PatchError as exc:
            raise ApiError(422, "Invalid", str(exc)) from None
        return self.update(res, version, namespace, name, new, subresource, dry_run, check_rv=True), False

    def delete(self, res, namespace, name, dry_run=False) -> dict:
        obj = self.get(res, namespace, name)
        if res.kind == "Namespace" and name in SYSTEM_NAMESPACES[:3]:
            raise ApiError(403, "Forbidden", f'namespaces "{name}" is forbidden: this namespace may not be deleted')
        if dry_run:
            return obj
        if obj["metadata"].get("finalizers"):
            if not obj["metadata"].get("deletionTimestamp"):
                obj = copy.deepcopy(obj)
                obj["metadata"]["deletionTimestamp"] = now()
                obj["metadata"]["resourceVersion"] = self._next_rv()
                self.objects[self._key(res, namespace, name)] = obj
                self._record("MODIFIED", res, obj)
            return obj
        return self._remove(res, obj)

    def _remove(self, res, obj) -> dict:
        meta = obj["metadata"]
        del self.objects[self._key(res, meta.get("namespace"), meta["name"])]
        obj = copy.deepcopy(obj)
        obj["metadata"]["resourceVersion"] = self._next_rv()
        if res.kind == "Namespace":
            # the namespace controller's work, done at once: everything in the namespace goes with it
            obj["status"] = {"phase": "Terminating"}
            for key in [k for k in self.objects if k[2] == meta["name"]]:
                gone = self.objects.pop(key)
                gone_res = self.resources.get(key[:2])
                if gone_res:
                    gone = copy.deepcopy(gone)
                    gone["metadata"]["resourceVersion"] = self._next_rv()
                    self._record("DELETED", gone_res, gone)
        self._record("DELETED", res, obj)
        if res.kind == "CustomResourceDefinition":
            created = from_crd(obj)
            if created and self.resources.get((created.group, created.plural)) == created:
                del self.resources[(created.group, created.plural)]
        return obj

    def _register_crd(self, crd: dict):
        res = from_crd(crd)
        if res is not None:
            self.resources[(res.group, res.plural)] = res
            crd["status"] = {"acceptedNames": {"kind": res.kind, "plural": res.plural},
                             "conditions": [{"type": "Established", "status": "True", "reason": "InitialNamesAccepted",
                                             "lastTransitionTime": now(), "message": "the initial names have been "
                                                                                     "accepted"}],
                             "storedVersions": [res.versions[0]]}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kube-emulator"
    store: Store
    quiet = True

    def log_message(self, fmt, *args):  # noqa: D102 - quiet unless asked
        if not self.quiet:
            super().log_message(fmt, *args)

    # -- transport ----------------------------------------------------------------------------------------
    def _send(self, code: int, body: dict | None, content_type="application/json"):
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-cache, private")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            raw = self._read_chunked()
        ctype = (self.headers.get("Content-Type") or "application/json").split(";")[0].strip()
        if not raw:
            return None
        if ctype == "application/vnd.kubernetes.protobuf":
            try:
                return protobuf.decode(raw)
            except Exception as exc:  # noqa: BLE001
                raise ApiError(415, "UnsupportedMediaType", f"cannot decode this protobuf body: {exc}") from None
        try:
            return json.loads(raw)
        except ValueError:
            if ctype.endswith("yaml"):
                import yaml  # only server-side apply bodies sent as YAML need it

                return yaml.safe_load(raw)
            raise ApiError(400, "BadRequest", "the body of the request is not valid JSON") from None

    def _read_chunked(self) -> bytes:
        out = b""
        while True:
            size = int(self.rfile.readline().strip().split(b";")[0], 16)
            if size == 0:
                self.rfile.readline()
                return out
            out += self.rfile.read(size)
            self.rfile.readline()

    def do_GET(self):
        self._dispatch("GET")

    def do_HEAD(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def do_PUT(self):
        self._dispatch("PUT")

    def do_PATCH(self):
        self._dispatch("PATCH")

    def do_DELETE(self):
        self._dispatch("DELETE")

    def _dispatch(self, method: str):
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        parts = [p for p in url.path.split("/") if p]
        try:
            if self._discovery(method, parts):
                return
            self._resource(method, parts, query)
        except ApiError as exc:
            self._send(exc.code, exc.status())
        except (BrokenPipeError, ConnectionResetError):
            pass

    # -- discovery ----------------------------------------------------------------------------------------
    def _discovery(self, method: str, parts: list[str]) -> bool:
        store = self.store
        path = "/" + "/".join(parts)
        if method != "GET":
            if len(parts) <= 2 or (parts[0] == "apis" and len(parts) == 3):
                raise ApiError(405, "MethodNotAllowed", "the server does not allow this method")
            return False
        if path in ("/healthz", "/readyz", "/livez"):
            self._send(200, None, "text/plain")
            return True
        if path == "/version":
            self._send(200, {"major": "1", "minor": GIT_VERSION.split(".")[1], "gitVersion": GIT_VERSION,
                             "gitCommit": "kube-emulator", "gitTreeState": "clean", "buildDate": "2025-01-01T00:00:00Z",
                             "goVersion": "go1.23", "compiler": "gc", "platform": "linux/amd64",
                             "emulationMajor": "1", "emulationMinor": GIT_VERSION.split(".")[1]})
            return True
        if path == "/":
            self._send(200, {"paths": ["/api", "/api/v1", "/apis", "/healthz", "/version"]})
            return True
        if path == "/openapi/v2":
            # an empty OpenAPI v2 document (protobuf of a message with no fields): kubectl's client-side
            # validation finds no schema for any kind and so skips it
            self._send(200, None, "application/com.github.proto-openapi.spec.v2.v1.0+protobuf")
            return True
        if path.startswith("/openapi"):
            raise ApiError(404, "NotFound", "the emulator serves no OpenAPI v3 schema")
        with store.cond:
            groups = store.groups()
            if path == "/api":
                host = self.headers.get("Host", "127.0.0.1")
                self._send(200, {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs":
                                 [{"clientCIDR": "0.0.0.0/0", "serverAddress": host}]})
                return True
            if path == "/apis":
                self._send(200, {"kind": "APIGroupList", "apiVersion": "v1",
                                 "groups": [self._group(g, vs) for g, vs in sorted(groups.items()) if g]})
                return True
            if parts[0] == "apis" and len(parts) == 2:
                if parts[1] not in groups:
                    raise ApiError(404, "NotFound", "the server could not find the requested resource")
                self._send(200, {"apiVersion": "v1", **self._group(parts[1], groups[parts[1]])})
                return True
            if (parts[0] == "api" and len(parts) == 2) or (parts[0] == "apis" and len(parts) == 3):
                group, version = ("", parts[1]) if parts[0] == "api" else (parts[1], parts[2])
                if version not in groups.get(group, []):
                    raise ApiError(404, "NotFound", "the server could not find the requested resource")
                self._send(200, self._resource_list(group, version))
                return True
        return False

    @staticmethod
    def _group(group: str, versions: list[str]) -> dict:
        entries = [{"groupVersion": f"{group}/{v}", "version": v} for v in versions]
        return {"kind": "APIGroup", "name": group, "versions": entries, "preferredVersion": entries[0]}

    def _resource_list(self, group, version) -> dict:
        resources = []
        for res in sorted(self.store.resources.values(), key=lambda r: r.plural):
            if res.group != group or version not in res.versions:
                continue
            entry = {"name": res.plural, "singularName": res.singular, "namespaced": res.namespaced,
                     "kind": res.kind, "verbs": list(VERBS)}
            if res.short_names:
                entry["shortNames"] = list(res.short_names)
            entry["categories"] = list(res.categories) or (["all"] if res.kind in ALL_CATEGORY else [])
            resources.append(entry)
            if res.status:
                resources.append({"name": f"{res.plural}/status", "singularName": "", "namespaced": res.namespaced,
                                  "kind": res.kind, "verbs": ["get", "patch", "update"]})
        return {"kind": "APIResourceList", "apiVersion": "v1",
                "groupVersion": f"{group}/{version}" if group else version, "resources": resources}

    # -- resources ----------------------------------------------------------------------------------------
    def _resource(self, method: str, parts: list[str], query: dict):
        if len(parts) < 3 or parts[0] not in ("api", "apis"):
            raise ApiError(404, "NotFound", "the server could not find the requested resource")
        if parts[0] == "api":
            group, version, rest = "", parts[1], parts[2:]
        else:
            if len(parts) < 4:
                raise ApiError(404, "NotFound", "the server could not find the requested resource")
            group, version, rest = parts[1], parts[2], parts[3:]
        namespace = None
        if rest[0] == "namespaces" and len(rest) >= 3 and rest[2] not in ("status", "finalize"):
            namespace, rest = rest[1], rest[2:]
        plural, name, sub = rest[0], (rest[1] if len(rest) > 1 else None), (rest[2] if len(rest) > 2 else None)
        if len(rest) > 3:
            raise ApiError(404, "NotFound", "the server could not find the requested resource")
        store = self.store
        with store.cond:
            res = store.lookup(group, version, plural)
        if namespace is not None and not res.namespaced:
            raise ApiError(404, "NotFound", "the server could not find the requested resource")
        if res.namespaced and name is not None and namespace is None:
            raise ApiError(404, "NotFound", "the server could not find the requested resource")
        if sub not in (None, "status") and not (sub == "finalize" and res.kind == "Namespace"):
            raise ApiError(404, "NotFound", f"the server could not find the requested resource ({sub})")
        dry_run = "dryRun" in query
        api_version = store._api_version(res, version)
        if method == "GET" and query.get("watch") in ("true", "1"):
            return self._watch(res, namespace, name, query, api_version)
        body = self._body() if method in ("POST", "PUT", "PATCH", "DELETE") else None
        with store.cond:
            if method == "GET" and name is None:
                try:
                    items = store.list(res, namespace, query.get("labelSelector"), query.get("fieldSelector"))
                except PatchError as exc:
                    raise ApiError(400, "BadRequest", str(exc)) from None
                return self._reply_list(res, items, api_version)
            if method == "GET":
                return self._reply_object(200, store.get(res, namespace, name), api_version)
            if method == "POST" and name is None:
                return self._reply_object(201, store.create(res, version, namespace, body or {}, dry_run),
                                          api_version)
            if method == "PUT" and name is not None:
                return self._reply_object(200, store.update(res, version, namespace, name, body, sub, dry_run),
                                          api_version)
            if method == "PATCH" and name is not None:
                ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
                obj, created = store.patch(res, version, namespace, name, ctype, body, sub, dry_run)
                return self._reply_object(201 if created else 200, obj, api_version)
            if method == "DELETE" and name is not None:
                opts = body if isinstance(body, dict) else {}
                obj = store.delete(res, namespace, name, dry_run or bool(opts.get("dryRun")))
                return self._reply_object(200, obj, api_version)
            if method == "DELETE":
                items = store.list(res, namespace, query.get("labelSelector"), query.get("fieldSelector"))
                gone = [store.delete(res, o["metadata"].get("namespace"), o["metadata"]["name"], dry_run)
                        for o in list(items)]
                return self._reply_list(res, gone, api_version)
        raise ApiError(405, "MethodNotAllowed", f"{method} is not supported on this path")

    def _wants_table(self) -> bool:
        return "as=Table" in (self.headers.get("Accept") or "")

    def _with_version(self, obj: dict, api_version: str) -> dict:
        if obj.get("apiVersion") == api_version:
            return obj
        return {**obj, "apiVersion": api_version}

    def _reply_object(self, code, obj, api_version):
        obj = self._with_version(obj, api_version)
        self._send(code, self._table([obj]) if self._wants_table() else obj)

    def _reply_list(self, res, items, api_version):
        if self._wants_table():
            return self._send(200, self._table([self._with_version(o, api_version) for o in items]))
        self._send(200, {"kind": f"{res.kind}List", "apiVersion": api_version,
                         "metadata": {"resourceVersion": str(self.store.rv)},
                         "items": [self._with_version(o, api_version) for o in items]})

    def _table(self, items: list[dict]) -> dict:
        def age(obj):
            try:
                created = datetime.datetime.strptime(obj["metadata"]["creationTimestamp"], "%Y-%m-%dT%H:%M:%SZ")
            except (KeyError, ValueError):
                return "<unknown>"
            seconds = int(time.time() - created.replace(tzinfo=datetime.timezone.utc).timestamp())
            return f"{seconds}s" if seconds < 120 else f"{seconds // 60}m"

        return {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": str(self.store.rv)},
                "columnDefinitions": [
                    {"name": "Name", "type": "string", "format": "name", "description": "Name", "priority": 0},
                    {"name": "Age", "type": "string", "format": "", "description": "Age", "priority": 0}],
                "rows": [{"cells": [o["metadata"]["name"], age(o)], "object": o} for o in items]}

    # -- watch --------------------------------------------------------------------------------------------
    def _watch(self, res, namespace, name, query, api_version):
        """Events as chunked JSON lines: ADDED for what exists (unless a resourceVersion is given), then
        each change the store records, until timeoutSeconds (at most 300) or the client goes away."""
        store = self.store
        try:
            match_labels, match_fields = label_matcher(query.get("labelSelector")), field_matcher(
                query.get("fieldSelector"))
        except PatchError as exc:
            raise ApiError(400, "BadRequest", str(exc)) from None
        timeout = min(int(query.get("timeoutSeconds") or 300), 300)
        deadline = time.monotonic() + timeout

        def wanted(obj):
            meta = obj["metadata"]
            return ((not namespace or meta.get("namespace") == namespace) and (not name or meta["name"] == name)
                    and match_labels(meta.get("labels")) and match_fields(obj))

        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def emit(kind, obj):
            data = json.dumps({"type": kind, "object": self._with_version(obj, api_version)}).encode() + b"\n"
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

        with store.cond:
            since = query.get("resourceVersion") or "0"
            pending = []
            if since in ("", "0"):
                pending = [("ADDED", o) for o in store.list(res, namespace) if wanted(o)]
                since = store.rv
            since = int(since)
        try:
            for kind, obj in pending:
                emit(kind, obj)
            while time.monotonic() < deadline:
                with store.cond:
                    events = [e for e in store.events if e[0] > since and e[2:4] == (res.group, res.plural)]
                    if not events:
                        store.cond.wait(min(1.0, max(0.0, deadline - time.monotonic())))
                        continue
                since = max(e[0] for e in events)
                for _, kind, _, _, obj in events:
                    if wanted(obj):
                        emit(kind, obj)
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True


ALL_CATEGORY = {"Pod", "Service", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob",
                "HorizontalPodAutoscaler", "ReplicationController"}


def make_server(port: int = 0, host: str = "127.0.0.1", verbose: bool = False) -> ThreadingHTTPServer:
    """A server bound to host:port (port 0 picks a free one); call serve_forever() on it."""
    store = Store()
    handler = type("BoundHandler", (Handler,), {"store": store, "quiet": not verbose})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    server.store = store  # type: ignore[attr-defined]
    return server


def kubeconfig(url: str, context: str = "kube-emulator") -> dict:
    return {"apiVersion": "v1", "kind": "Config", "current-context": context, "preferences": {},
            "clusters": [{"name": context, "cluster": {"server": url}}],
            "users": [{"name": context, "user": {"token": "kube-emulator"}}],
            "contexts": [{"name": context, "context": {"cluster": context, "user": context, "namespace": "default"}}]}
