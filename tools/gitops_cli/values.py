"""Round-trip edits: change one value, keep comments, order, quoting and layout."""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML


def _yaml() -> YAML:
    y = YAML()  # round-trip mode
    y.preserve_quotes = True
    y.explicit_start = True
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 4096
    return y


def read_image_tag(path: Path) -> str:
    return str(_yaml().load(path.read_text())["image"]["tag"])


def set_in(path: Path, keys: tuple[str, ...], value: str) -> str | None:
    """Set keys[...] = value in a YAML file; return the old value, or None when nothing changed."""
    y = _yaml()
    data = y.load(path.read_text())
    node = data
    for key in keys[:-1]:
        node = node[key]
    old = node.get(keys[-1])
    if old is not None and str(old) == value:
        return None
    node[keys[-1]] = type(old)(value) if isinstance(old, str) else value  # keeps the quoting style
    with path.open("w") as out:
        y.dump(data, out)
    return "" if old is None else str(old)


def set_image_tag(path: Path, tag: str) -> str | None:
    return set_in(path, ("image", "tag"), tag)


def pin_chart_revision(path: Path, revision: str) -> str | None:
    """Point the chart source of an Application (the one with a path) at revision."""
    y = _yaml()
    data = y.load(path.read_text())
    spec = data["spec"]
    sources = spec["sources"] if "sources" in spec else [spec["source"]]
    source = next(s for s in sources if "path" in s)
    old = str(source["targetRevision"])
    if old == revision:
        return None
    source["targetRevision"] = type(source["targetRevision"])(revision)
    with path.open("w") as out:
        y.dump(data, out)
    return old
