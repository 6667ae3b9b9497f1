#!/usr/bin/env bash
# Builds the Shopfront service images (services/*/Dockerfile) and checks them: every image must be
# under MAX_IMAGE_MB (100) and run as a numeric, non-root user.
#
#   scripts/build_images.sh [--offline|--online] [--refresh-bases] [SERVICE...]
#
#   --online         build with the Dockerfiles' default base images (pulled from their registry).
#   --offline        no registry: make local base images from Debian packages once
#                    (scripts/lib/base_images.sh, tagged shopfront-base/NAME:SUITE-HASH, reused
#                    while they exist) and pass them as --build-arg BUILDER_IMAGE=/RUNTIME_IMAGE=.
#   (neither)        --online when Docker Hub answers within a few seconds, else --offline.
#   --refresh-bases  offline bases under a new tag (today's date joins the hash): picks up
#                    Debian security updates. Old base tags stay until removed.
#   SERVICE...       default: frontend product cart order (each must have a Dockerfile) plus any
#                    other services/*/Dockerfile.
#
# Environment: SERVICES_DIR (services/), IMAGE_PREFIX (docker.io/acme/shopfront-), IMAGE_TAG (local), MAX_IMAGE_MB (100),
# BUILD_NETWORK (e.g. host; default: Docker's bridge), USE_BUILDKIT (0: classic builder even
# when buildx is installed), REGISTRY_PROBE_URL, DEBIAN_MIRROR,
# PYTHON_SUITE/NGINX_SUITE (bookworm), NODE_SUITE (trixie: Node 20.19), HOST_CA_BUNDLE.
# Installs docker.io (and debootstrap for --offline) with apt when missing and starts dockerd
# when no daemon answers. Needs root for that and for debootstrap/chroot.
set -euo pipefail
shopt -s inherit_errexit

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Checked on its own (scripts/test.sh runs shellcheck without -x; `shellcheck -x` follows it).
# shellcheck source=scripts/lib/base_images.sh disable=SC1091
source "$ROOT/scripts/lib/base_images.sh"

KNOWN_SERVICES=(frontend product cart order)
IMAGE_PREFIX=${IMAGE_PREFIX:-docker.io/acme/shopfront-}
IMAGE_TAG=${IMAGE_TAG:-local}
MAX_IMAGE_MB=${MAX_IMAGE_MB:-100}
BUILD_NETWORK=${BUILD_NETWORK:-}
SERVICES_DIR=${SERVICES_DIR:-$ROOT/services}
REGISTRY_PROBE_URL=${REGISTRY_PROBE_URL:-https://registry-1.docker.io/v2/}
MODE=""
declare -a SERVICES=()

log() { printf 'build_images: %s\n' "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case $1 in
    --offline) MODE=offline ;;
    --online) MODE=online ;;
    --refresh-bases) export BASE_STAMP=${BASE_STAMP:-$(date -u +%Y%m%d)} ;;
    -h | --help)
      usage
      exit 0
      ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) SERVICES+=("$1") ;;
  esac
  shift
done

as_root() { if [[ $EUID -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

apt_install() { # apt_install PACKAGE...: only what is missing
  log "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -q update >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -q -y install --no-install-recommends "$@" >/dev/null
}

ensure_docker() {
  command -v docker >/dev/null 2>&1 || apt_install docker.io
  docker info >/dev/null 2>&1 && return 0
  # A docker CLI alone (no engine on this machine) cannot help: install the engine.
  command -v dockerd >/dev/null 2>&1 || apt_install docker.io
  log "no Docker daemon answers: starting dockerd"
  if [[ -d /run/systemd/system ]] && as_root systemctl start docker 2>/dev/null; then
    :
  else
    as_root setsid nohup dockerd >/var/log/shopfront-dockerd.log 2>&1 </dev/null &
  fi
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && return 0
    sleep 1
  done
  [[ -f /var/log/shopfront-dockerd.log ]] && tail -20 /var/log/shopfront-dockerd.log >&2
  die "dockerd did not answer within 60 s"
}

registry_reachable() { # any HTTP answer from the registry API (401 is the normal one)
  local code
  code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$REGISTRY_PROBE_URL" 2>/dev/null || true)
  [[ $code == 200 || $code == 401 ]]
}

# Dockerfile helpers ------------------------------------------------------------------------
image_args() { # NAME=DEFAULT for every `ARG *IMAGE*=default` of a Dockerfile
  sed -nE 's/^[[:space:]]*ARG[[:space:]]+([A-Za-z0-9_]*IMAGE[A-Za-z0-9_]*)=["'\'']?([^"'\'' ]+)["'\'']?.*$/\1=\2/p' "$1"
}

literal_froms() { # images named directly in FROM (not ${ARG}, not a stage, not scratch)
  local df=$1 stages
  stages=$(sed -nE 's/^[[:space:]]*FROM[[:space:]].*[[:space:]]+[Aa][Ss][[:space:]]+([^[:space:]]+).*/\1/p' "$df")
  sed -nE 's/^[[:space:]]*FROM[[:space:]]+(--platform=[^[:space:]]+[[:space:]]+)?([^[:space:]]+).*/\2/p' "$df" |
    while read -r img; do
      [[ $img == *'$'* || $img == scratch ]] && continue
      grep -qxF "$img" <<<"$stages" && continue
      printf '%s\n' "$img"
    done
}

# Main --------------------------------------------------------------------------------------
cd "$ROOT"
if [[ ${#SERVICES[@]} -eq 0 ]]; then
  SERVICES=("${KNOWN_SERVICES[@]}")
  for df in "$SERVICES_DIR"/*/Dockerfile; do
    [[ -f $df ]] || continue
    s=$(basename "$(dirname "$df")")
    [[ " ${SERVICES[*]} " == *" $s "* ]] || SERVICES+=("$s")
  done
fi
missing=()
for s in "${SERVICES[@]}"; do [[ -f $SERVICES_DIR/$s/Dockerfile ]] || missing+=("$s"); done
[[ ${#missing[@]} -eq 0 ]] || die "no Dockerfile for: ${missing[*]} ($SERVICES_DIR/<name>/Dockerfile)"

ensure_docker
if [[ -z $MODE ]]; then
  if registry_reachable; then MODE=online; else MODE=offline; fi
  log "registry probe ($REGISTRY_PROBE_URL): $MODE"
fi

# BuildKit when the buildx plugin is there (Debian: docker-buildx, trixie or sid; not in bookworm),
# else the classic builder. Offline, a `# syntax=docker/dockerfile:1` line would make BuildKit
# pull that frontend image: the Dockerfile is then fed on stdin without it (the classic builder
# ignores the line anyway).
export DOCKER_BUILDKIT=0
if [[ ${USE_BUILDKIT:-auto} != 0 ]] && docker buildx version >/dev/null 2>&1; then export DOCKER_BUILDKIT=1; fi

WORK=""
trap '[[ -z $WORK ]] || rm -rf "$WORK"' EXIT
LOGS=$(mktemp -d "${TMPDIR:-/tmp}/shopfront-build.XXXXXX")

if [[ $MODE == offline ]]; then
  [[ $EUID -eq 0 ]] || die "--offline makes base images with debootstrap/chroot: run as root"
  command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
  # Scratch space for the debootstrap trees (~250 MB per suite), removed at exit. BASE_WORKDIR
  # (debugging) keeps them for the next run instead.
  if [[ -n ${BASE_WORKDIR:-} ]]; then
    mkdir -p "$BASE_WORKDIR"
    WORKDIR=$BASE_WORKDIR
  else
    WORK=$(mktemp -d /var/tmp/shopfront-bases.XXXXXX)
    WORKDIR=$WORK
  fi
fi

declare -a ROWS=() BASES_USED=()
failed=0
for s in "${SERVICES[@]}"; do
  df=$SERVICES_DIR/$s/Dockerfile
  image="${IMAGE_PREFIX}${s}:${IMAGE_TAG}"
  args=(build -t "$image" -f - --label "org.opencontainers.image.revision=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)")
  [[ -n $BUILD_NETWORK ]] && args+=(--network "$BUILD_NETWORK")
  [[ $DOCKER_BUILDKIT == 1 ]] && args+=(--progress=plain)
  strip_syntax=0
  [[ $MODE == offline && $DOCKER_BUILDKIT == 1 ]] && strip_syntax=1
  if [[ $MODE == offline ]]; then
    while IFS='=' read -r name default; do
      [[ -n $name ]] || continue
      role=runtime
      [[ $name == *BUILD* ]] && role=builder
      if base=$(base_for_image "$default" "$role"); then
        tag=$(ensure_base "$base" "$WORKDIR") # errexit applies inside (inherit_errexit)
        args+=(--build-arg "$name=$tag")
        [[ " ${BASES_USED[*]} " == *" $tag "* ]] || BASES_USED+=("$tag")
      elif docker image inspect "$default" >/dev/null 2>&1; then
        log "$s: $name=$default is already local"
      else
        die "$s: no offline base for $name=$default (add one to scripts/lib/base_images.sh)"
      fi
    done < <(image_args "$df")
    while read -r img; do
      [[ -n $img ]] || continue
      docker image inspect "$img" >/dev/null 2>&1 ||
        die "$s: FROM $img names an image directly; offline it must be a build argument (ARG ..._IMAGE=$img)"
    done < <(literal_froms "$df")
  fi
  log "$s: docker ${args[*]:0:3} ... (DOCKER_BUILDKIT=$DOCKER_BUILDKIT, $MODE)"
  t0=$SECONDS
  if awk -v strip="$strip_syntax" 'NR <= 5 && strip == 1 && tolower($0) ~ /^#[[:space:]]*syntax[[:space:]]*=/ {next} {print}' "$df" |
    docker "${args[@]}" "$SERVICES_DIR" >"$LOGS/$s.log" 2>&1; then
    log "$s: built in $((SECONDS - t0))s"
  else
    tail -40 "$LOGS/$s.log" >&2
    log "$s: BUILD FAILED after $((SECONDS - t0))s (full log: $LOGS/$s.log)"
    ROWS+=("$(printf '%-44s %9s  %-12s %s' "$image" - - "FAIL (build)")")
    failed=1
    continue
  fi
  bytes=$(docker image inspect -f '{{.Size}}' "$image")
  user=$(docker image inspect -f '{{.Config.User}}' "$image")
  mb=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1000000}')
  verdict=ok
  if awk -v b="$bytes" -v m="$MAX_IMAGE_MB" 'BEGIN {exit !(b > m * 1000000)}'; then
    verdict="FAIL (over ${MAX_IMAGE_MB} MB)"
  elif [[ ! $user =~ ^[0-9]+(:[0-9]+)?$ ]]; then
    verdict="FAIL (user must be a numeric uid[:gid])"
  elif [[ ${user%%:*} -eq 0 ]]; then
    verdict="FAIL (root)"
  fi
  [[ $verdict == ok ]] || failed=1
  ROWS+=("$(printf '%-44s %9s  %-12s %s' "$image" "$mb" "${user:-<empty>}" "$verdict")")
done

if [[ ${#BASES_USED[@]} -gt 0 ]]; then
  printf '\nBase images (%s):\n' "$MODE"
  for b in "${BASES_USED[@]}"; do
    printf '  %-52s %6s MB\n' "$b" "$(docker image inspect -f '{{.Size}}' "$b" | awk '{printf "%.1f", $1 / 1000000}')"
  done
fi
printf '\n%-44s %9s  %-12s %s\n' IMAGE "SIZE (MB)" USER CHECK
printf '%s\n' "${ROWS[@]}"
printf '(MB = 10^6 bytes; limit %s MB; user must be numeric and not 0; logs: %s)\n' "$MAX_IMAGE_MB" "$LOGS"
exit "$failed"
