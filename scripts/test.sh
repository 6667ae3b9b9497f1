#!/usr/bin/env bash
# `make test`: every check the project has, in one place, so CI and people run the same thing.
#   scripts/test.sh all | lint | terraform | molecule | molecule-kind [ROLE] | services | pytest | ci
# Called through make, which bootstraps the toolchain and exports PATH/TF_CLI_CONFIG_FILE.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export CHECKPOINT_DISABLE=1 ANSIBLE_FORCE_COLOR=0 PY_COLORS=0
CHECK_DATA="$ROOT/.cache/terraform-check"
declare -a RESULTS=()

stage() { # stage NAME COMMAND...: run, time and record one check
  local name=$1 start rc=0
  shift
  start=$(date +%s)
  printf '\n==> %s\n' "$name"
  "$@" || rc=$?
  RESULTS+=("$(printf '%-32s %-4s %4ss' "$name" "$([[ $rc == 0 ]] && echo ok || echo FAIL)" "$(($(date +%s) - start))")")
  return "$rc"
}

tf_dirs() { find terraform/"$1" -mindepth 1 -maxdepth 1 -type d | sort; }

tf_init() { # init without a backend into a scratch data dir
  TF_DATA_DIR="$CHECK_DATA/${1//\//_}" terraform -chdir="$1" init -backend=false -input=false >/dev/null
}

tf_validate() {
  local d
  for d in $(tf_dirs stacks) $(tf_dirs modules); do
    tf_init "$d"
    TF_DATA_DIR="$CHECK_DATA/${d//\//_}" terraform -chdir="$d" validate -no-color
  done
}

tf_test() {
  local d
  for d in $(tf_dirs modules) $(tf_dirs stacks); do
    [[ -d $d/tests ]] || continue
    tf_init "$d"
    echo "--- $d"
    TF_DATA_DIR="$CHECK_DATA/${d//\//_}" terraform -chdir="$d" test -no-color
  done
}

lint() {
  local rc=0
  stage "yamllint" yamllint --strict . || rc=1
  stage "ansible-lint (production)" ansible-lint --profile production --offline || rc=1
  stage "terraform fmt" terraform fmt -check -recursive -diff terraform || rc=1
  stage "terraform validate" tf_validate || rc=1
  stage "checkov" "$ROOT/.venv-checkov/bin/checkov" --quiet --compact --skip-download \
    --framework terraform --framework github_actions -d terraform -d . --skip-path .venv --skip-path .venv-checkov \
    --skip-path .cache --skip-path .state --skip-path node_modules || rc=1
  stage "shellcheck" shellcheck scripts/*.sh scripts/gitops services/*.sh services/*/test.sh .ci/run || rc=1
  # .github/workflows (and shellcheck on every run: script); checkov above covers them too.
  stage "actionlint" actionlint -no-color || rc=1
  stage "helm lint (stand-in charts)" helm lint --quiet tests/charts/* || rc=1
  stage "gitops validate" scripts/gitops validate || rc=1
  stage "hadolint" hadolint services/*/Dockerfile || rc=1
  stage "trivy config" trivy_config || rc=1
  return "$rc"
}

trivy_config() { # the Dockerfiles and every Application as Argo CD renders it (.trivyignore: accepted findings)
  local out target rc=0
  out=$(mktemp -d)
  scripts/gitops render --out "$out" || rc=1
  for target in services "$out"; do # one target per run
    trivy config --quiet --skip-check-update --exit-code 1 --ignorefile .trivyignore \
      --skip-dirs '**/node_modules' "$target" || rc=1
  done
  rm -rf "$out"
  return "$rc"
}

terraform_tests() { stage "terraform test" tf_test; }

molecule_tests() {
  local rc=0 s role
  for s in $(find molecule -mindepth 2 -maxdepth 2 -name molecule.yml -printf '%h\n' | sort); do
    stage "molecule $(basename "$s")" molecule test -s "$(basename "$s")" || rc=1
  done
  # Platform roles: molecule/<role>/{emulated,kind}. Here only `emulated` runs (no Docker images,
  # no internet); `kind` runs in GitHub Actions: MOLECULE_GLOB='molecule/<role>/*/molecule.yml' molecule test -s kind
  for s in $(find molecule -mindepth 3 -maxdepth 3 -path '*/emulated/molecule.yml' -printf '%h\n' | sort); do
    role=$(basename "$(dirname "$s")")
    stage "molecule $role (emulated)" env MOLECULE_GLOB="molecule/$role/*/molecule.yml" molecule test -s emulated || rc=1
  done
  return "$rc"
}

molecule_kind() { # the kind scenarios of the platform roles (one role, or all)
  local rc=0 role
  for role in ${1:-$(find molecule -mindepth 3 -maxdepth 3 -path '*/kind/molecule.yml' -printf '%h\n' | xargs -n1 dirname | xargs -n1 basename | sort)}; do
    stage "molecule $role (kind)" env MOLECULE_GLOB="molecule/$role/*/molecule.yml" molecule test -s kind || rc=1
  done
  return "$rc"
}

service_tests() { # each service's own unit/integration tests (services/<svc>/test.sh installs what it needs)
  local rc=0 t
  for t in services/*/test.sh; do
    [[ -e $t ]] || continue
    stage "services $(basename "$(dirname "$t")")" "$t" || rc=1
  done
  return "$rc"
}

# loadscope: a module's tests share its fixtures (the e2e cycle runs once, not once per worker)
pytests() { stage "pytest" pytest -n 2 --dist loadscope tests; }

# The tests of what CI runs: workflows, CI scripts, repository standards, the gitops CLI (ci.yml).
ci_tests() {
  stage "pytest (CI)" pytest -n 2 tests/test_workflows.py tests/test_ci_scripts.py tests/test_sonar_config.py \
    tests/test_repo_standards.py tests/test_gitops_cli.py
}

summary() {
  printf '\n==> summary\n'
  printf '%s\n' "${RESULTS[@]}"
}
trap summary EXIT

case "${1:-all}" in
  lint) lint ;;
  terraform) terraform_tests ;;
  molecule) molecule_tests ;;
  molecule-kind) molecule_kind "${2:-}" ;;
  pytest) pytests ;;
  services) service_tests ;;
  ci) ci_tests ;;
  all)
    rc=0
    lint || rc=1
    terraform_tests || rc=1
    molecule_tests || rc=1
    service_tests || rc=1
    pytests || rc=1
    exit "$rc"
    ;;
  *) echo "usage: $0 [all|lint|terraform|molecule|molecule-kind [ROLE]|services|pytest|ci]" >&2; exit 2 ;;
esac
