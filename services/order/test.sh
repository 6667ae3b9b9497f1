#!/usr/bin/env bash
# services/order: ruff, then pytest (unit tests, and integration tests that start SecantusDB, a
# product API stand-in and the service itself). Coverage XML: services/order/coverage.xml.
#   services/order/test.sh [PYTEST ARGS...]      e.g. -k metrics, tests/unit
# The virtualenv (services/order/.venv) is (re)installed only when requirements*.txt change.
# SecantusDB: $SECANTUSD, else <repo>/.venv-mongo/bin/secantusd-py (scripts/bootstrap.sh), else PATH.
set -euo pipefail

DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$DIR/../.." && pwd)
PYTHON=${PYTHON:-python3}
VENV=$DIR/.venv
STAMP=$VENV/.requirements.sha256
cd "$DIR"

want=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)
have=$(cat "$STAMP" 2>/dev/null || true)
if [[ ! -x $VENV/bin/python || $have != "$want" ]]; then
  echo "order: installing requirements into $VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q -r requirements-dev.txt
  printf '%s\n' "$want" >"$STAMP"
fi

if [[ -z ${SECANTUSD:-} && -x $ROOT/.venv-mongo/bin/secantusd-py ]]; then
  export SECANTUSD=$ROOT/.venv-mongo/bin/secantusd-py
fi

"$VENV/bin/ruff" check .
rm -f .coverage .coverage.*
"$VENV/bin/python" -m pytest --cov=order --cov-report=term --cov-report=xml:coverage.xml "$@"
