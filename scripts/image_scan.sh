#!/usr/bin/env bash
# Scan a built image with Trivy and gate on it: the JSON report is kept (CI uploads it), the gate
# (scripts/trivy_gate.py) fails on findings at or above SEVERITY.
#   scripts/image_scan.sh IMAGE REPORT.json [SEVERITY]      SEVERITY default CRITICAL
# Needs the vulnerability database (trivy downloads it: internet). Accepted findings: .trivyignore.
# Exit codes: those of the gate (0 ok, 1 findings, 2 unreadable report); 2 also when trivy fails.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[[ $# -ge 2 && $# -le 3 ]] || { echo "usage: $0 IMAGE REPORT.json [SEVERITY]" >&2; exit 2; }
image=$1 report=$2 severity=${3:-CRITICAL}
trivy=${TRIVY:-trivy} # TRIVY: another trivy binary (the tests use a fake one)
[[ -z ${TRIVY:-} && -x $ROOT/.venv/bin/trivy ]] && trivy=$ROOT/.venv/bin/trivy
python="$ROOT/.venv/bin/python"
[[ -x $python ]] || python=python3

# --exit-code 0: the gate decides, from the report, so the report exists whatever it holds.
if ! "$trivy" image --quiet --scanners vuln --format json --output "$report" --exit-code 0 \
  --ignorefile "$ROOT/.trivyignore" "$image"; then
  echo "image_scan: trivy could not scan $image" >&2
  exit 2
fi
exec "$python" "$ROOT/scripts/trivy_gate.py" "$report" --severity "$severity"
