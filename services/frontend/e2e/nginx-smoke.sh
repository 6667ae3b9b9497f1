#!/usr/bin/env bash
# Smoke test of nginx.conf without a container: the host's nginx serves dist/ with this
# nginx.conf as uid 10001 on a read-only root filesystem with a tmpfs /tmp (as the pod runs), the
# /api/ location swapped for a proxy to the in-memory fake APIs (the ALB's job in the cluster).
# Checks probes, headers, cache rules, the SPA fallback and the JSON access log, then runs the
# browser journey (shop.mjs) through it, under the real CSP.
# Needs: root (unshare, mount, setpriv), nginx (apt-get install nginx), Chromium, `npm run build`.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
app="$(dirname "$here")"
nginx_bin="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
port_api="${FAKE_PORT:-18081}"
base="http://127.0.0.1:8080"

[[ $EUID -eq 0 ]] || { echo "run as root (needs unshare and mount)" >&2; exit 2; }
[[ -x "$nginx_bin" ]] || { echo "nginx not found (apt-get install -y nginx)" >&2; exit 2; }
[[ -f "$app/dist/index.html" ]] || { echo "build first: npm run build" >&2; exit 2; }

work="$(mktemp -d /srv/shopfront-nginx-smoke.XXXXXX 2>/dev/null || mktemp -d /var/tmp/shopfront-nginx-smoke.XXXXXX)"
log="$(mktemp)"
pids=()
# shellcheck disable=SC2329  # invoked by the EXIT trap
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [[ -f "$work/master.pid" ]]; then kill -QUIT "$(cat "$work/master.pid")" 2>/dev/null || true; fi
  rm -rf "$work" "$log"
}
trap cleanup EXIT

cp -r "$app/dist" "$work/html"
python3 - "$app/nginx.conf" "$work/nginx.conf" "$work/html" "$port_api" <<'PY'
import sys
src, dst, root, port = sys.argv[1:]
conf = open(src).read()
api = """            default_type application/json;
            return 404 '{"message":"not found"}';"""
assert api in conf and "root /usr/share/nginx/shopfront;" in conf
conf = conf.replace(api, f"            proxy_pass http://127.0.0.1:{port};")
conf = conf.replace("root /usr/share/nginx/shopfront;", f"root {root};")
open(dst, "w").write(conf)
PY
chmod -R a+rX "$work"
"$nginx_bin" -t -q -c "$work/nginx.conf"

node "$here/fake-apis.mjs" --port "$port_api" >/dev/null &
pids+=($!)

# A private mount namespace: / read-only, a fresh tmpfs on /tmp; nginx as 10001 writing its logs
# into a pipe it owns (as runc hands the container its stdio).
# shellcheck disable=SC2016  # $1 and $2 expand in the inner shell
unshare -m sh -c '
  mount --make-rprivate / && mount -o remount,bind,ro / && mount -t tmpfs -o mode=1777 tmpfs /tmp || exit 1
  exec setpriv --reuid=10001 --regid=10001 --clear-groups \
    sh -c "\"$1\" -c \"$2\" -g \"daemon off;\" 2>&1 | cat"' sh "$nginx_bin" "$work/nginx.conf" >"$log" 2>&1 &
pids+=($!)

for _ in $(seq 50); do
  curl -fsS "$base/health" >/dev/null 2>&1 && break
  sleep 0.2
done
pgrep -u 10001 -f "nginx: master process" -n >"$work/master.pid" || { cat "$log" >&2; exit 1; }

fail=0
check() { # description, actual, expected (grep -E)
  if grep -qiE -- "$3" <<<"$2"; then echo "ok   $1"; else echo "FAIL $1: got [$2]" >&2; fail=1; fi
}
scripts=("$work"/html/assets/*.js)
js="/assets/$(basename "${scripts[0]}")"
check "/health 200 ok" "$(curl -s -w ' %{http_code}' "$base/health")" '^ok 200$'
check "/ready 200 ok" "$(curl -s -w ' %{http_code}' "$base/ready")" '^ok 200$'
check "SPA fallback" "$(curl -s -o /dev/null -w '%{http_code} %{content_type}' "$base/orders/x")" '^200 text/html'
check "index no-cache" "$(curl -sI "$base/")" '^cache-control: no-cache'
check "assets immutable" "$(curl -sI "$base$js")" '^cache-control: public, max-age=31536000, immutable'
check "missing asset 404" "$(curl -s -o /dev/null -w '%{http_code}' "$base/assets/none.js")" '^404$'
check "missing asset not cached" "$(curl -sI "$base/assets/none.js")" '^cache-control: no-store'
check "CSP" "$(curl -sI "$base/")" "^content-security-policy: default-src 'self';.*frame-ancestors 'none'"
check "nosniff" "$(curl -sI "$base/")" '^x-content-type-options: nosniff'
check "referrer policy" "$(curl -sI "$base/")" '^referrer-policy: '
check "no version in Server" "$(curl -sI "$base/")" '^server: nginx.$'
curl -s -H 'X-Request-Id: smoke-rid-1' "$base/" >/dev/null
sleep 0.3
check "JSON access log with request id" "$(cat "$log")" '"request_id":"smoke-rid-1"'

if BASE_URL="$base" node "$here/shop.mjs"; then echo "ok   browser journey"; else fail=1; fi
exit "$fail"
