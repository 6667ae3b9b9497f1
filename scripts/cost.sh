#!/usr/bin/env bash
# make cost: plan every stack of the inventory's environment (check mode, nothing changes),
# keep each plan as JSON in a private temporary folder, price them with
# scripts/cost_estimate.py, then delete the folder (plans hold state data).
# Usage: scripts/cost.sh INVENTORY [cost_estimate.py options, e.g. --json --hours-per-day 12]
set -euo pipefail

inventory=${1:?usage: scripts/cost.sh INVENTORY [cost_estimate.py options]}
shift
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/cost.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "make cost: planning the stacks of $inventory (check mode; log in $work/plan.log while it runs)" >&2
# No timing record: a cost run is not an up or a down (plugins/callback/phase_timer.py).
if ! ANSIBLE_CALLBACKS_ENABLED=ansible.posix.profile_tasks ANSIBLE_NOCOLOR=1 \
    ansible-playbook -i "$inventory" "$root/playbooks/cost.yml" --check \
    -e "{\"cost_plan_dir\": \"$work\"}" >"$work/plan.log" 2>&1; then
  tail -n 40 "$work/plan.log" >&2
  echo "make cost: planning failed (above: the end of the ansible-playbook log)" >&2
  exit 1
fi
"$root/scripts/cost_estimate.py" "$work" --platform "$work/platform.json" \
  --require bootstrap,github-oidc,network,dns,eks "$@"
