#!/usr/bin/env bash
# Test the Shopfront cart service: install the services/ npm workspace (only when
# services/package-lock.json or the Node version changed), run the unit and integration tests
# under c8 (coverage/lcov.info), then bundle dist/server.js with esbuild. The integration tests
# start SecantusDB themselves (SECANTUSD, else .venv-mongo/bin/secantusd-py from
# scripts/bootstrap.sh, else PATH).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

case "${1:-}" in
  "") ;;
  -h | --help)
    sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *)
    echo "unknown argument: $1 (use --help)" >&2
    exit 2
    ;;
esac

command -v node >/dev/null || { echo "node is required (>= 20.19)" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm is required" >&2; exit 1; }

# One install for the whole workspace (node-kit, product, cart). The stamp lives inside
# node_modules: deleting node_modules forces a fresh install.
stamp=../node_modules/.shopfront-install.sha256
want="$({ sha256sum ../package-lock.json; node --version; } | sha256sum | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "==> dependencies up to date (services/package-lock.json unchanged)"
else
  echo "==> npm ci (services/ workspace)"
  (cd .. && npm ci --no-audit --no-fund)
  printf '%s\n' "$want" >"$stamp"
fi

echo "==> unit + integration tests with coverage (coverage/lcov.info)"
npm run --silent coverage

echo "==> npm run build (dist/server.js)"
npm run --silent build
