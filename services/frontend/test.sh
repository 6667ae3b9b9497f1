#!/usr/bin/env bash
# Test and build the Shopfront frontend: install dependencies (only when package-lock.json or the
# Node version changed), run the unit tests, build dist/. With --e2e (or E2E=1) also run the
# browser smoke test of the built app against the in-memory fake APIs (needs Chromium, see
# CHROMIUM_PATH in e2e/shop.mjs).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

run_e2e="${E2E:-0}"
for arg in "$@"; do
  case "$arg" in
    --e2e) run_e2e=1 ;;
    -h | --help)
      sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "unknown argument: $arg (use --e2e or --help)" >&2
      exit 2
      ;;
  esac
done

command -v node >/dev/null || { echo "node is required (>= 20.19)" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm is required" >&2; exit 1; }

# The stamp lives inside node_modules: deleting node_modules forces a fresh install.
stamp=node_modules/.shopfront-install.sha256
want="$({ sha256sum package-lock.json; node --version; } | sha256sum | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "==> dependencies up to date (package-lock.json unchanged)"
else
  echo "==> npm ci"
  npm ci --no-audit --no-fund
  printf '%s\n' "$want" >"$stamp"
fi

echo "==> npm test"
npm test

echo "==> npm run build"
npm run build

if [[ "$run_e2e" == 1 ]]; then
  echo "==> e2e smoke (dist/ + fake APIs in headless Chromium)"
  node e2e/smoke.mjs
fi
