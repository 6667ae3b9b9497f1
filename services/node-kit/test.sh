#!/usr/bin/env bash
# Test @shopfront/node-kit, the shared runtime of the Node.js API services: install the
# services/ npm workspace (only when services/package-lock.json or the Node version changed),
# then run its unit tests under c8 (coverage/lcov.info).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

../npm-ci-once.sh .. # the services/ workspace

echo "==> unit tests with coverage (coverage/lcov.info)"
npm run --silent coverage
