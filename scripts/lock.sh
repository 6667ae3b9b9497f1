#!/usr/bin/env bash
# Refresh requirements.txt: install requirements.in into a throwaway venv and freeze it.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/requirements.in" \
  2> >(grep -v "^WARNING: Location 'file:" >&2)
{
  echo '# Fully pinned lock of requirements.in (pip freeze of a clean venv). Regenerate with: make lock'
  "$tmp/venv/bin/pip" freeze --disable-pip-version-check
} >"$ROOT/requirements.txt"
echo "lock: wrote requirements.txt"
