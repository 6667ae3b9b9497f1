#!/usr/bin/env bash
# npm ci in DIR (a project or the services/ workspace root) only when its package-lock.json or the
# Node version changed since the last install. The stamp lives inside node_modules: deleting
# node_modules forces a fresh install. Used by the services' test.sh.
#   services/npm-ci-once.sh DIR
set -euo pipefail

dir=${1:?usage: npm-ci-once.sh DIR}
command -v node >/dev/null || { echo "node is required (>= 20.19)" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm is required" >&2; exit 1; }

cd "$dir"
stamp=node_modules/.shopfront-install.sha256
want="$({ sha256sum package-lock.json; node --version; } | sha256sum | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "==> dependencies up to date ($(basename "$PWD")/package-lock.json unchanged)"
else
  echo "==> npm ci ($(basename "$PWD"))"
  npm ci --no-audit --no-fund
  printf '%s\n' "$want" >"$stamp"
fi
