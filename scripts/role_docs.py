#!/usr/bin/env python3
"""Fill the variables table of each role README from the role's own contract.

The table sits between <!-- BEGIN VARIABLES --> and <!-- END VARIABLES --> and lists, for
every option of meta/argument_specs.yml (entry point main): name, type, the default from
defaults/main.yml and the description. Roles without the markers are left alone.

    scripts/role_docs.py           rewrite the tables
    scripts/role_docs.py --check   exit 1 and name the READMEs that are out of date
"""

from __future__ import annotations

import json
import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- BEGIN VARIABLES -->", "<!-- END VARIABLES -->"


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def table(role: pathlib.Path) -> str:
    specs = yaml.safe_load((role / "meta" / "argument_specs.yml").read_text())["argument_specs"]["main"]
    defaults_file = role / "defaults" / "main.yml"
    defaults = yaml.safe_load(defaults_file.read_text()) or {} if defaults_file.exists() else {}
    rows = ["| variable | type | default | description |", "|---|---|---|---|"]
    for name, spec in (specs.get("options") or {}).items():
        kind = spec.get("type", "str")
        if spec.get("elements"):
            kind += " of " + spec["elements"]
        if spec.get("choices"):
            kind += " (" + ", ".join(str(c) for c in spec["choices"]) + ")"
        if name in defaults:
            default = "`" + json.dumps(defaults[name], separators=(", ", ": ")) + "`"
        else:
            default = "**required**" if spec.get("required") else ""
        description = spec.get("description", "")
        if isinstance(description, list):
            description = " ".join(description)
        rows.append(f"| `{name}` | {cell(kind)} | {cell(default)} | {cell(description)} |")
    return "\n".join(rows)


def main() -> int:
    check = "--check" in sys.argv[1:]
    stale = []
    for readme in sorted(ROOT.glob("roles/*/README.md")):
        text = readme.read_text()
        if BEGIN not in text:
            continue
        generated = f"{BEGIN}\n{table(readme.parent)}\n{END}"
        updated = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _m: generated, text, flags=re.S)
        if updated != text:
            stale.append(str(readme.relative_to(ROOT)))
            if not check:
                readme.write_text(updated)
    if stale:
        print(("out of date (run scripts/role_docs.py): " if check else "rewrote: ") + ", ".join(stale))
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
