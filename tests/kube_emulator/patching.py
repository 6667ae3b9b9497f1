"""Patch formats and selectors: JSON merge patch (RFC 7386), an approximation of strategic merge patch,
JSON patch (RFC 6902), label and field selectors."""

from __future__ import annotations

import copy
import re

# Strategic merge patch merges lists of objects by a key; the API server knows the key per field from the Go
# types. The emulator guesses it from the items: the first of these keys that every item carries.
MERGE_KEYS = ("name", "containerPort", "mountPath", "port", "ip", "devicePath", "uid", "type")


class PatchError(ValueError):
    pass


def merge_patch(target, patch, strategic: bool = False):
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if strategic and patch.get("$patch") == "replace":
        return {k: copy.deepcopy(v) for k, v in patch.items() if not k.startswith("$")}
    if strategic and patch.get("$patch") == "delete":
        return None
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if key.startswith("$"):
            continue
        if value is None:
            result.pop(key, None)
        elif strategic and isinstance(value, list) and isinstance(result.get(key), list):
            result[key] = _merge_list(result[key], value)
        elif strategic and isinstance(value, list):
            result[key] = [_strip(v) for v in value if not (isinstance(v, dict) and v.get("$patch") == "delete")]
        else:
            merged = merge_patch(result.get(key), value, strategic)
            if merged is None:
                result.pop(key, None)
            else:
                result[key] = merged
    if strategic:
        for key, value in patch.items():
            if key.startswith("$deleteFromPrimitiveList/"):
                field = key.split("/", 1)[1]
                if isinstance(result.get(field), list):
                    result[field] = [v for v in result[field] if v not in value]
        if isinstance(patch.get("$retainKeys"), list):
            keep = set(patch["$retainKeys"])
            result = {k: v for k, v in result.items() if k in keep}
    return result


def _strip(value):
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if not k.startswith("$")}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _merge_key(items):
    dicts = [i for i in items if isinstance(i, dict)]
    if not dicts or len(dicts) != len(items):
        return None
    for key in MERGE_KEYS:
        if all(key in i for i in dicts):
            return key
    return None


def _merge_list(original, patch):
    key = _merge_key(patch)
    if key is None or _merge_key(original) != key and original:
        return [_strip(v) for v in patch if not (isinstance(v, dict) and v.get("$patch") == "delete")]
    if any(isinstance(v, dict) and v.get("$patch") == "replace" for v in patch):
        return [_strip(v) for v in patch if v.get("$patch") != "replace"]
    result = copy.deepcopy(original)
    for item in patch:
        index = next((n for n, o in enumerate(result) if o.get(key) == item[key]), None)
        if item.get("$patch") == "delete":
            if index is not None:
                del result[index]
        elif index is None:
            result.append(_strip(item))
        else:
            result[index] = merge_patch(result[index], item, True)
    return result


# --- JSON patch -------------------------------------------------------------------------------------------

def _pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise PatchError(f"invalid JSON pointer {path!r}")
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _parent(doc, parts):
    for part in parts[:-1]:
        if isinstance(doc, list):
            doc = doc[int(part)]
        elif isinstance(doc, dict) and part in doc:
            doc = doc[part]
        else:
            raise PatchError(f"path not found: /{'/'.join(parts)}")
    return doc


def _get(doc, parts):
    for part in parts:
        try:
            doc = doc[int(part)] if isinstance(doc, list) else doc[part]
        except (KeyError, IndexError, ValueError, TypeError):
            raise PatchError(f"path not found: /{'/'.join(parts)}") from None
    return doc


def _add(doc, parts, value):
    if not parts:
        return value
    parent, last = _parent(doc, parts), parts[-1]
    if isinstance(parent, list):
        parent.insert(len(parent) if last == "-" else int(last), value)
    else:
        parent[last] = value
    return doc


def _remove(doc, parts):
    parent, last = _parent(doc, parts), parts[-1]
    try:
        if isinstance(parent, list):
            return parent.pop(int(last))
        return parent.pop(last)
    except (KeyError, IndexError, ValueError):
        raise PatchError(f"path not found: /{'/'.join(parts)}") from None


def json_patch(doc, operations):
    doc = copy.deepcopy(doc)
    if not isinstance(operations, list):
        raise PatchError("a JSON patch is a list of operations")
    for op in operations:
        kind, parts = op.get("op"), _pointer(op.get("path", ""))
        if kind == "add":
            doc = _add(doc, parts, copy.deepcopy(op.get("value")))
        elif kind == "remove":
            _remove(doc, parts)
        elif kind == "replace":
            _get(doc, parts)
            if not parts:
                doc = copy.deepcopy(op.get("value"))
            else:
                _remove(doc, parts)
                doc = _add(doc, parts, copy.deepcopy(op.get("value")))
        elif kind == "move":
            value = _remove(doc, _pointer(op["from"]))
            doc = _add(doc, parts, value)
        elif kind == "copy":
            doc = _add(doc, parts, copy.deepcopy(_get(doc, _pointer(op["from"]))))
        elif kind == "test":
            if _get(doc, parts) != op.get("value"):
                raise PatchError(f"test failed at {op.get('path')}")
        else:
            raise PatchError(f"unknown JSON patch operation {kind!r}")
    return doc


# --- selectors --------------------------------------------------------------------------------------------

_SET_TERM = re.compile(r"^\s*([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)\s*$")


def _split_terms(selector: str) -> list[str]:
    terms, depth, current = [], 0, ""
    for ch in selector:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            terms.append(current)
            current = ""
        else:
            current += ch
    terms.append(current)
    return [t.strip() for t in terms if t.strip()]


def label_matcher(selector: str | None):
    """A predicate over a labels dict; raises PatchError on a selector it cannot parse."""
    checks = []
    for term in _split_terms(selector or ""):
        m = _SET_TERM.match(term)
        if m:
            key, op, values = m.group(1), m.group(2), {v.strip() for v in m.group(3).split(",") if v.strip()}
            if op == "in":
                checks.append(lambda labels, k=key, vs=values: labels.get(k) in vs)
            else:
                checks.append(lambda labels, k=key, vs=values: labels.get(k) not in vs)
        elif "!=" in term:
            key, value = (s.strip() for s in term.split("!=", 1))
            checks.append(lambda labels, k=key, v=value: labels.get(k) != v)
        elif "=" in term:
            key, value = (s.strip() for s in re.split(r"==?", term, maxsplit=1))
            checks.append(lambda labels, k=key, v=value: labels.get(k) == v)
        elif term.startswith("!"):
            checks.append(lambda labels, k=term[1:].strip(): k not in labels)
        elif re.fullmatch(r"[A-Za-z0-9./_-]+", term):
            checks.append(lambda labels, k=term: k in labels)
        else:
            raise PatchError(f"unable to parse requirement: {term!r}")
    return lambda labels: all(check(labels or {}) for check in checks)


def field_value(obj: dict, path: str) -> str:
    value = obj
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def field_matcher(selector: str | None):
    checks = []
    for term in _split_terms(selector or ""):
        if "!=" in term:
            key, value = (s.strip() for s in term.split("!=", 1))
            checks.append(lambda o, k=key, v=value: field_value(o, k) != v)
        elif "=" in term:
            key, value = (s.strip() for s in re.split(r"==?", term, maxsplit=1))
            checks.append(lambda o, k=key, v=value: field_value(o, k) == v)
        else:
            raise PatchError(f"invalid field selector term: {term!r}")
    return lambda obj: all(check(obj) for check in checks)
