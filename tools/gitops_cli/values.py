"""Round-trip edits: change one value, keep comments, key order, quoting and layout."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from gitops_cli.tree import UsageError


def _yaml(text: str) -> YAML:
    """A round-trip YAML with the tree's layout: mappings indented 2, sequences 4 with offset 2."""
    y = YAML()  # round-trip mode
    y.preserve_quotes = True
    y.explicit_start = text.lstrip().startswith("---")
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 4096  # never re-wrap long lines
    return y


def _restyle(old: Any, new: str) -> Any:
    """new in the scalar type of old: a double-quoted old value gives a double-quoted new one."""
    return type(old)(new) if isinstance(old, str) else new


def _edit(path: Path, change: Callable[[Any], str | None]) -> str | None:
    """Load path, let change() edit the data (it returns the old value, or None for no change), write it back."""
    text = path.read_text()
    y = _yaml(text)
    data = y.load(text)
    old = change(data)
    if old is not None:
        with path.open("w") as out:
            y.dump(data, out)
    return old


def set_image_tag(path: Path, tag: str) -> str | None:
    """Set image.tag; return the old tag ("" when there was none), or None when it already was tag."""

    def change(data: Any) -> str | None:
        image = data.get("image") if isinstance(data, dict) else None
        if not isinstance(image, dict):
            raise UsageError(f"{path} has no image mapping to set image.tag in")
        old = image.get("tag")
        if old is not None and str(old) == tag:
            return None
        image["tag"] = _restyle(old, tag)
        return "" if old is None else str(old)

    return _edit(path, change)


def pin_chart_revision(path: Path, revision: str) -> str | None:
    """Point the chart source of an Application (the one with a path) at revision; return the old one."""

    def change(data: Any) -> str | None:
        spec = data["spec"]
        chart = next((s for s in (spec.get("sources") or [spec.get("source")]) if s and "path" in s), None)
        if chart is None:
            raise UsageError(f"{path} has no source with a chart path")
        old = chart.get("targetRevision")
        if str(old) == revision:
            return None
        chart["targetRevision"] = _restyle(old, revision)
        return str(old)

    return _edit(path, change)
