#!/usr/bin/env bash
# Test the Shopfront product service: install the services/ npm workspace (only when
# services/package-lock.json or the Node version changed), run the unit and integration tests
# under c8 (coverage/lcov.info), then bundle dist/server.js with esbuild. The integration tests
# start SecantusDB themselves (SECANTUSD, else .venv-mongo/bin/secantusd-py from
# scripts/bootstrap.sh, else PATH), or use TEST_MONGODB_URI when it is set.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
if [[ $# -gt 0 ]]; then
  sed -n '2,6p' "$(basename "$0")" | sed 's/^# \{0,1\}//'
  [[ $1 == -h || $1 == --help ]] && exit 0
  exit 2
fi

../npm-ci-once.sh .. # one install for the whole workspace (node-kit, product, cart)

echo "==> unit + integration tests with coverage (coverage/lcov.info)"
npm run --silent coverage

echo "==> npm run build (dist/server.js)"
npm run --silent build
