#!/usr/bin/env bash
# Test @shopfront/node-kit, the shared runtime of the Node.js API services: install the
# services/ npm workspace (only when services/package-lock.json or the Node version changed),
# then run its unit tests under c8 (coverage/lcov.info).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

command -v node >/dev/null || { echo "node is required (>= 20.19)" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm is required" >&2; exit 1; }

stamp=../node_modules/.shopfront-install.sha256
want="$({ sha256sum ../package-lock.json; node --version; } | sha256sum | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "==> dependencies up to date (services/package-lock.json unchanged)"
else
  echo "==> npm ci (services/ workspace)"
  (cd .. && npm ci --no-audit --no-fund)
  printf '%s\n' "$want" >"$stamp"
fi

echo "==> unit tests with coverage (coverage/lcov.info)"
npm run --silent coverage
