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

../npm-ci-once.sh .

echo "==> npm test"
npm test

echo "==> npm run build"
npm run build

if [[ "$run_e2e" == 1 ]]; then
  echo "==> e2e smoke (dist/ + fake APIs in headless Chromium)"
  node e2e/smoke.mjs
fi
