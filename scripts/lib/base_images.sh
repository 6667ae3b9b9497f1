# shellcheck shell=bash
# Local base images for building the service images without any container registry.
# Sourced by scripts/build_images.sh (--offline). Every base is made from Debian packages only:
#   debootstrap --variant=minbase SUITE DIR MIRROR, apt-get install inside the chroot, cleanup,
#   then `tar -C DIR -c . | docker import - shopfront-base/NAME:SUITE-HASH`.
# HASH covers the functions that make the base (shared steps + its recipe_NAME), the suite and
# packages, the mirror and (builders only) the extra CA certificates the host trusts: a changed
# recipe gives a new tag, an unchanged one is never rebuilt. --refresh-bases adds the date.
#
#   python-builder  bookworm minbase + python3 (3.11) + venv + pip      (stands in for python:3.11-slim as a builder)
#   python-runtime  FROM-scratch style: python3.11, its stdlib and ldd closure, busybox (python:3.11-slim,
#                   gcr.io/distroless/python3-debian12: /usr/bin/python3, user nonroot 65532)
#   node-builder    trixie minbase + nodejs 20.19 + npm                 (node:20-bookworm-slim; bookworm has only Node 18)
#   node-runtime    FROM-scratch style: node, its ldd closure with ICU data cut down to root + English,
#                   busybox (gcr.io/distroless/nodejs20-debian12: ENTRYPOINT /nodejs/bin/node, nonroot 65532)
#   nginx-runtime   FROM-scratch style: nginx, mime.types, ldd closure, busybox, runs as 101 on 8080
#                   (nginxinc/nginx-unprivileged)
# Runtimes hold no apt, no dpkg database and no package manager: their RUN steps get busybox only.
# `docker import --change` knows CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, USER, VOLUME, WORKDIR only
# (no STOPSIGNAL/HEALTHCHECK): the service Dockerfiles set those.

BASE_REPO_PREFIX=${BASE_REPO_PREFIX:-shopfront-base}
PYTHON_SUITE=${PYTHON_SUITE:-bookworm}
NODE_SUITE=${NODE_SUITE:-trixie}
NGINX_SUITE=${NGINX_SUITE:-bookworm}

blog() { printf 'bases: %s\n' "$*" >&2; }

# The Debian mirror apt itself uses on this machine (deb822 or one-line sources), else the CDN.
debian_mirror() {
  local m=""
  if [[ -n ${DEBIAN_MIRROR:-} ]]; then
    printf '%s\n' "$DEBIAN_MIRROR"
    return
  fi
  m=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' |
    grep -E '/debian/?$' | head -1 || true)
  [[ -n $m ]] || m=$(grep -hsE '^deb[[:space:]]' /etc/apt/sources.list 2>/dev/null |
    awk '{for (i = 2; i <= NF; i++) if ($i !~ /^\[/) {print $i; exit}}' | grep -E '/debian/?$' | head -1 || true)
  printf '%s\n' "${m:-http://deb.debian.org/debian}"
}

# Name -> "suite kind packages...": kind is `full` (the chroot is the image) or `scratch` (only the
# files listed in collect_NAME and their shared libraries).
base_recipe() {
  case $1 in
    python-builder) echo "$PYTHON_SUITE full python3 python3-venv python3-pip ca-certificates" ;;
    python-runtime) echo "$PYTHON_SUITE scratch python3 libstdc++6 ca-certificates tzdata media-types busybox-static" ;;
    node-builder) echo "$NODE_SUITE full nodejs npm ca-certificates" ;;
    node-runtime) echo "$NODE_SUITE scratch nodejs ca-certificates tzdata busybox" ;;
    nginx-runtime) echo "$NGINX_SUITE scratch nginx ca-certificates busybox-static" ;;
    *) return 1 ;;
  esac
}

# Which local base stands in for a Dockerfile's default image. ROLE: builder|runtime.
base_for_image() {
  local image=$1 role=$2
  case "${image##*/}" in
    python:*) echo "python-$role" ;;
    python3-debian*) echo "python-runtime" ;; # gcr.io/distroless/python3-debian12
    node:*) echo "node-$role" ;;
    nodejs*-debian*) echo "node-runtime" ;; # gcr.io/distroless/nodejs20-debian12
    nginx*) echo "nginx-runtime" ;;
    *) return 1 ;;
  esac
}

# PEM certificates the host trusts that the chroot's Debian bundle lacks (a TLS-inspecting proxy's
# CA, a company CA). Builders need them for `npm ci` / `pip install` inside `docker build`.
host_extra_cas() { # host_extra_cas CHROOT_BUNDLE OUT_DIR -> count on stdout
  local chroot_bundle=$1 out=$2 host_bundle=${HOST_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
  [[ -r $host_bundle && -r $chroot_bundle ]] || {
    echo 0
    return
  }
  # Known = the chroot's bundle and every Mozilla root the host's ca-certificates ships, so roots
  # a newer Debian dropped (distrusted) are not brought back: only locally added CAs remain.
  python3 - "$host_bundle" "$chroot_bundle" "$out" <<'PY'
import glob, os, re, sys
pem = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.S)
norm = lambda c: "".join(c.split())
host = pem.findall(open(sys.argv[1]).read())
known = {norm(c) for c in pem.findall(open(sys.argv[2]).read())}
for f in glob.glob("/usr/share/ca-certificates/mozilla/*.crt"):
    known.update(norm(c) for c in pem.findall(open(f).read()))
extra = [c for c in host if norm(c) not in known]
os.makedirs(sys.argv[3], exist_ok=True)
for i, c in enumerate(extra):
    with open(os.path.join(sys.argv[3], "shopfront-host-%d.crt" % i), "w") as f:
        f.write(c + "\n")
print(len(extra))
PY
}

host_extra_cas_digest() { # fingerprint of what host_extra_cas would add (empty when nothing)
  local host_bundle=${HOST_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt} debian_bundle=""
  [[ -r $host_bundle ]] || return 0
  # Debian's own list, as shipped by ca-certificates, approximated by the host's mozilla dir.
  if [[ -d /usr/share/ca-certificates/mozilla ]]; then
    debian_bundle=$(mktemp)
    cat /usr/share/ca-certificates/mozilla/*.crt >"$debian_bundle"
    python3 - "$host_bundle" "$debian_bundle" <<'PY'
import hashlib, re, sys
pem = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.S)
norm = lambda c: "".join(c.split())
known = {norm(c) for c in pem.findall(open(sys.argv[2]).read())}
extra = sorted(norm(c) for c in pem.findall(open(sys.argv[1]).read()) if norm(c) not in known)
print(hashlib.sha256("\n".join(extra).encode()).hexdigest()[:12] if extra else "")
PY
    rm -f "$debian_bundle"
  else
    sha256sum "$host_bundle" | cut -c1-12
  fi
}

base_tag() { # base_tag NAME -> shopfront-base/NAME:SUITE-HASH
  local name=$1 recipe suite hash extra=""
  recipe=$(base_recipe "$name") || return 1
  suite=${recipe%% *}
  [[ $name == *-builder ]] && extra=$(host_extra_cas_digest)
  # What makes this base: the shared steps and its own recipe (not the rest of this file).
  hash=$({
    declare -f minbase_tree prepare_chroot chroot_apt cleanup_chroot add_host_cas host_extra_cas \
      runtime_skeleton collect ensure_base "recipe_${name//-/_}"
    printf '%s\n' "$COLLECT_SH"
    printf '%s\n' "$name" "$recipe" "$(debian_mirror)" "$extra" "${BASE_STAMP:-}"
  } | sha256sum | cut -c1-12)
  printf '%s/%s:%s-%s\n' "$BASE_REPO_PREFIX" "$name" "$suite" "$hash"
}

# A minbase tree per suite, made once per run and copied for every base of that suite.
minbase_tree() { # minbase_tree SUITE WORKDIR -> path
  local suite=$1 work=$2 dir="$2/minbase-$1" t0
  if [[ ! -f $dir/.done ]]; then
    rm -rf "$dir"
    t0=$SECONDS
    blog "debootstrap --variant=minbase $suite ($(debian_mirror))"
    debootstrap --variant=minbase "$suite" "$dir" "$(debian_mirror)" >"$work/debootstrap-$suite.log" 2>&1 || {
      tail -20 "$work/debootstrap-$suite.log" >&2
      return 1
    }
    touch "$dir/.done"
    blog "debootstrap $suite took $((SECONDS - t0))s"
  fi
  printf '%s\n' "$dir"
}

chroot_apt() { # chroot_apt DIR apt-get-args...
  local dir=$1
  shift
  chroot "$dir" env DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 \
    apt-get -q -y -o Dpkg::Use-Pty=0 -o APT::Install-Recommends=false "$@"
}

prepare_chroot() { # prepare_chroot SUITE DIR: sources (updates, security), no daemons, no docs
  local suite=$1 dir=$2 mirror
  mirror=$(debian_mirror)
  {
    echo "deb $mirror $suite main"
    case $suite in
      sid | unstable | experimental) ;;
      *)
        echo "deb $mirror $suite-updates main"
        echo "deb ${mirror%/debian}/debian-security $suite-security main"
        ;;
    esac
  } >"$dir/etc/apt/sources.list"
  cp /etc/resolv.conf "$dir/etc/resolv.conf"
  printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
  chmod 0755 "$dir/usr/sbin/policy-rc.d"
  # Same exclusions as Debian's own slim images: no man pages, docs (copyright kept) or locales.
  cat >"$dir/etc/dpkg/dpkg.cfg.d/01-shopfront-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' \
    >"$dir/etc/apt/apt.conf.d/01-shopfront-norecommends"
}

cleanup_chroot() { # cleanup_chroot DIR: what a shipped image must not carry
  local dir=$1
  chroot_apt "$dir" clean
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/* "$dir"/var/cache/debconf/*-old \
    "$dir"/var/log/* "$dir"/tmp/* "$dir"/var/tmp/* "$dir"/root/.cache \
    "$dir"/usr/share/man/* "$dir"/usr/share/info/* "$dir"/usr/share/lintian "$dir"/.done
  find "$dir/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
  find "$dir/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
  find "$dir/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} + 2>/dev/null || true
  rm -f "$dir/usr/sbin/policy-rc.d"
  : >"$dir/etc/resolv.conf"
  : >"$dir/etc/hostname"
  rm -f "$dir/etc/machine-id" "$dir/var/lib/dbus/machine-id"
}

add_host_cas() { # add_host_cas DIR: trust what the host trusts (builders only)
  local dir=$1 n
  n=$(host_extra_cas "$dir/etc/ssl/certs/ca-certificates.crt" "$dir/usr/local/share/ca-certificates")
  if [[ $n -gt 0 ]]; then
    blog "adding $n CA certificate(s) the host trusts to the builder's store"
    chroot "$dir" update-ca-certificates >/dev/null 2>&1
  fi
}

# Runs inside the chroot: copy PATHS (files, dirs, globs) into OUT, canonical parents first so
# the merged-/usr symlinks (/lib -> usr/lib ...) stay symlinks, then every shared library that
# any copied ELF file needs, following symlink chains.
read -r -d '' COLLECT_SH <<'EOF' || true
set -euo pipefail
out=$1
shift
mkdir -p "$out"
for l in bin lib lib64 sbin; do if [ -L "/$l" ]; then cp -a "/$l" "$out/"; fi; done
copy_one() {
  local p=$1 d rd t
  while :; do
    d=$(dirname "$p"); rd=$(readlink -f "$d"); p="$rd/$(basename "$p")"
    [ -e "$p" ] || [ -L "$p" ] || { echo "collect: missing $p" >&2; return 1; }
    mkdir -p "$out$rd"
    if [ -d "$p" ] && [ ! -L "$p" ]; then
      tar -C "$rd" -c --exclude=__pycache__/*.opt-?.pyc "$(basename "$p")" | tar -C "$out$rd" -x
    elif [ ! -e "$out$p" ] && [ ! -L "$out$p" ]; then
      cp -a "$p" "$out$rd/"
    fi
    [ -L "$p" ] || break
    t=$(readlink "$p"); case $t in /*) p=$t ;; *) p="$rd/$t" ;; esac
  done
}
for p in "$@"; do copy_one "$p"; done
find "$out" -type f \( -perm -u+x -o -name '*.so' -o -name '*.so.*' \) -print0 |
  while IFS= read -r -d '' f; do
    ldd "${f#"$out"}" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' || true
  done | sort -u | while read -r lib; do copy_one "$lib"; done
EOF

collect() { # collect DIR OUT PATH...: see COLLECT_SH
  local dir=$1 out=$2
  shift 2
  chroot "$dir" bash -c "$COLLECT_SH" collect "$out" "$@"
}

# Files every scratch runtime gets: users, NSS, CA bundle, /tmp, busybox applets (sh, wget...).
runtime_skeleton() { # runtime_skeleton DIR OUT (OUT inside the chroot) EXTRA_PASSWD_LINE...
  local dir=$1 out=$1$2 line a
  # All of glibc's shared libraries, not only what ldd finds: wheels and addons built for
  # manylinux also expect the glibc 2.34+ stubs (librt, libdl, libpthread, libutil...).
  # shellcheck disable=SC2046 # dpkg lists paths without spaces
  collect "$dir" "$2" /usr/bin/busybox /etc/ssl/certs/ca-certificates.crt /usr/lib/os-release \
    /usr/share/zoneinfo $(chroot "$dir" dpkg -L libc6 | grep -E '^/(usr/)?lib[^ ]*/[^/]+\.so(\.[0-9]+)*$' | grep -v /gconv/)
  shift 2
  mkdir -p "$out/tmp" "$out/etc" "$out/root" "$out/usr/local/bin" "$out/var/tmp" "$out/run"
  chmod 1777 "$out/tmp" "$out/var/tmp"
  chmod 0700 "$out/root"
  ln -sfn ../usr/lib/os-release "$out/etc/os-release"
  ln -sfn /usr/share/zoneinfo/Etc/UTC "$out/etc/localtime"
  echo "Etc/UTC" >"$out/etc/timezone"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\napp:x:10001:10001:app:/tmp:/usr/sbin/nologin\n' >"$out/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\napp:x:10001:\n' >"$out/etc/group"
  for line in "$@"; do
    printf '%s\n' "$line" >>"$out/etc/passwd"
    printf '%s:x:%s:\n' "$(cut -d: -f1 <<<"$line")" "$(cut -d: -f4 <<<"$line")" >>"$out/etc/group"
  done
  printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n' >"$out/etc/nsswitch.conf"
  : >"$out/etc/hosts"
  : >"$out/etc/resolv.conf"
  # busybox applets as symlinks, never over a real program of the image.
  for a in $(chroot "$dir" /usr/bin/busybox --list); do
    [[ -e $out/usr/bin/$a || -L $out/usr/bin/$a || -e $out/usr/sbin/$a ]] || ln -s busybox "$out/usr/bin/$a"
  done
}

recipe_python_runtime() { # DIR OUT
  local dir=$1 out=$2 v
  v=$(chroot "$dir" python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  # Byte-compile the stdlib once: a read-only root filesystem cannot cache .pyc at run time.
  chroot "$dir" "python$v" -m compileall -q -j0 "/usr/lib/python$v" >/dev/null 2>&1 || true
  # Also stands in for gcr.io/distroless/python3-debian12: its user nonroot (65532) and home.
  runtime_skeleton "$dir" "$out" 'nonroot:x:65532:65532:nonroot:/home/nonroot:/usr/sbin/nologin'
  mkdir -p "$dir$out/home/nonroot"
  chown 65532:65532 "$dir$out/home/nonroot"
  chmod 0700 "$dir$out/home/nonroot"
  # libgcc_s and libstdc++ are outside every manylinux wheel (the policy lets wheels expect them
  # from the system): pydantic-core, grpcio, numpy... fail without them.
  # shellcheck disable=SC2046 # paths without spaces, globbed in the chroot
  collect "$dir" "$out" "/usr/bin/python$v" /usr/bin/python3 /etc/mime.types "/usr/lib/python$v" \
    $(cd "$dir" && printf '/%s ' usr/lib/*-linux-gnu/libgcc_s.so.1 usr/lib/*-linux-gnu/libstdc++.so.6)
  rm -rf "$dir$out/usr/lib/python$v"/{ensurepip,lib2to3,pydoc_data,idlelib,tkinter,turtledemo,test,EXTERNALLY-MANAGED}
  rm -rf "$dir$out/usr/lib/python$v"/config-*
  ln -sfn python3 "$dir$out/usr/bin/python"
  # Paths of the official python image, for Dockerfiles that name them.
  ln -sfn /usr/bin/python3 "$dir$out/usr/local/bin/python3"
  ln -sfn /usr/bin/python3 "$dir$out/usr/local/bin/python"
  ln -sfn "/usr/bin/python$v" "$dir$out/usr/local/bin/python$v"
  IMPORT_CHANGES=('ENV LANG=C.UTF-8' 'ENV PATH=/usr/local/bin:/usr/bin' 'ENV PYTHONUNBUFFERED=1'
    'CMD ["python3"]')
}

recipe_node_runtime() { # DIR OUT
  local dir=$1 out=$2 o=$1$2 f
  # Debian's node links the full ICU data (libicudata, 31 MB, every locale and converter): replace
  # it with the same data filtered down to root + English (as Node's own "small-icu" builds).
  chroot_apt "$dir" install icu-devtools binutils >"$dir/tmp/apt-icu.log" 2>&1 || {
    tail -20 "$dir/tmp/apt-icu.log" >&2
    return 1
  }
  cat >"$dir/tmp/icu-trim.sh" <<'EOF'
set -euo pipefail
keep_locales=" en en_US en_US_POSIX en_001 en_GB "
w=/tmp/icu-trim
rm -rf "$w"; mkdir -p "$w/src" "$w/out"; cd "$w"
lib=$(readlink -f /usr/lib/*-linux-gnu/libicudata.so.[0-9]*[0-9] | head -1)
# The common data is one symbol, icudt<NN>_dat; cut it out of the library (offset via its section).
set -- $(nm -D -S --defined-only "$lib" | grep -E ' icudt[0-9]+_dat$')
addr=$((16#$1)) size=$((16#$2)) sym=$4 off=""
readelf -S -W "$lib" | sed -n 's/^ *\[ *[0-9]*\] *//p' >sections.txt
while read -r _ _ sa so ss _; do
  [[ $sa =~ ^[0-9a-f]+$ && $so =~ ^[0-9a-f]+$ && $ss =~ ^[0-9a-f]+$ ]] || continue
  if (( 16#$sa > 0 && addr >= 16#$sa && addr + size <= 16#$sa + 16#$ss )); then off=$((addr - 16#$sa + 16#$so)); fi
done <sections.txt
[[ -n $off ]] || { echo "icu-trim: no section holds $sym in $lib" >&2; exit 1; }
pkg=${sym%_dat}l # icudt76l: the package's name and its items' prefix
tail -c +$((off + 1)) "$lib" | head -c "$size" >"$pkg.dat"
icupkg -l "$pkg.dat" >all.txt
# Converters: UTF-8, UTF-16 and ISO-8859-1 are built into ICU's code; keep the single-byte
# encodings of the WHATWG Encoding standard (TextDecoder), drop the CJK and EBCDIC tables.
cnvs=" "
for e in ibm866 iso-8859-2 iso-8859-3 iso-8859-4 iso-8859-5 iso-8859-6 iso-8859-7 iso-8859-8 \
  iso-8859-10 iso-8859-13 iso-8859-14 iso-8859-15 iso-8859-16 koi8-r koi8-u macintosh windows-874 \
  windows-1250 windows-1251 windows-1252 windows-1253 windows-1254 windows-1255 windows-1256 \
  windows-1257 windows-1258 x-mac-cyrillic; do
  c=$(uconv --list-code "$e" | head -1 | cut -d' ' -f1)
  cnvs+="$c.cnv " # (iso-8859-16 is only an alias: Debian's full data has no table for it either)
done
# Keep: Unicode properties, normalization (*.nrm), collation root (ucadata), break rules, time
# zones, supplemental data, each tree's root/pool and the English locales. Drop: other locales,
# transliterators, break dictionaries (CJK/Thai...), StringPrep profiles, spoof data, char names.
: >remove.txt
: >locales.txt
while read -r item; do
  dir=""
  [[ $item == */* ]] && dir=${item%/*}
  f=${item##*/}
  keep=1
  if [[ $f == res_index.res || $dir == translit ]]; then
    keep=0
  elif [[ $f =~ ^[a-z]{2,3}(_[A-Za-z0-9]*)*\.res$ ]]; then
    if [[ $keep_locales == *" ${f%.res} "* ]]; then echo "${dir:-.} ${f%.res}" >>locales.txt; else keep=0; fi
  elif [[ $f == *.cnv ]]; then
    [[ $cnvs == *" $f "* ]] || keep=0
  elif [[ $f == *.dict || $f == *_cj.brk || $f == *phrase* || $f == *.spp || $f == *.cfu || $f == unames.icu ]]; then
    keep=0
  fi
  [[ $keep == 1 ]] || echo "$item" >>remove.txt
done <all.txt
# A res_index per tree that lists only the kept locales: Intl then resolves any other locale
# to the default (en-US) instead of half-loading it.
for dir in . $(grep / all.txt | cut -d/ -f1 | sort -u); do
  [[ $dir == translit ]] && continue
  {
    echo 'res_index:table(nofallback) {'
    echo '    InstalledLocales:table {'
    awk -v d="$dir" '$1 == d {print "        " $2 " {\"\"}"}' locales.txt
    echo '    }'
    echo '}'
  } >res_index.txt
  mkdir -p "src/$dir"
  genrb -q -d "src/$dir" res_index.txt
  if [[ $dir == . ]]; then echo res_index.res; else echo "$dir/res_index.res"; fi >>add.txt
done
icupkg --ignore-deps -r remove.txt -s src -a add.txt "$pkg.dat" "out/$pkg.dat" 2>/dev/null
# The same symbol in a data-only library with the same soname (what ICU's `pkgdata -m dll` makes).
cat >data.S <<ASM
	.section .rodata
	.balign 16
	.globl $sym
	.type $sym, @object
$sym:
	.incbin "out/$pkg.dat"
	.size $sym, . - $sym
	.section .note.GNU-stack,"",@progbits
ASM
as -o data.o data.S
ld -shared -z noexecstack -soname "$(objdump -p "$lib" | awk '$1 == "SONAME" {print $2}')" -o libicudata.so data.o
strip --strip-unneeded libicudata.so
cp libicudata.so "$lib"
test "$(node -p "new Intl.NumberFormat('en-US', {style: 'currency', currency: 'EUR'}).format(18.5) + ' ' + 'é'.normalize('NFD').length")" = "€18.50 2"
echo "icu-trim: $sym $((size / 1000)) kB -> $(($(stat -c %s "out/$pkg.dat") / 1000)) kB ($(grep -c . remove.txt) of $(grep -c . all.txt) items removed)" >&2
cd / && rm -rf "$w"
EOF
  chroot "$dir" bash /tmp/icu-trim.sh </dev/null || return 1
  runtime_skeleton "$dir" "$out" 'node:x:1000:1000:node:/tmp:/usr/sbin/nologin' \
    'nonroot:x:65532:65532:nonroot:/home/nonroot:/usr/sbin/nologin'
  # Debian's libnode loads some builtins (undici's fetch, cjs-module-lexer, acorn, minimatch) from
  # /usr/share/nodejs at start-up: without them node aborts ("Cannot load externalized builtin").
  # shellcheck disable=SC2046 # paths without spaces
  collect "$dir" "$out" /usr/bin/node /usr/bin/nodejs $(chroot "$dir" sh -c \
    'strings -n 8 /usr/lib/*-linux-gnu/libnode.so.* | grep -E "^/usr/share/nodejs/[^ ]+[.]js$" | sort -u')
  # Node keeps its time zone rules in the ICU data: /usr/share/zoneinfo only names the default.
  find "$o/usr/share/zoneinfo" -mindepth 1 -maxdepth 1 -not -name Etc -not -name UTC -exec rm -rf {} +
  find "$o/usr/share/zoneinfo/Etc" -mindepth 1 -not -name UTC -delete
  # glibc libraries no Node addon links (vector math, malloc/memusage debugging, NIS, hesiod).
  for f in libmvec.so.1 libc_malloc_debug.so.0 libmemusage.so libpcprofile.so libthread_db.so.1 \
    libnsl.so.1 libnss_compat.so.2 libnss_hesiod.so.2; do
    rm -f "$o"/usr/lib/*-linux-gnu/"$f"
  done
  # Paths of gcr.io/distroless/nodejs20-debian12 (ENTRYPOINT /nodejs/bin/node, user nonroot 65532).
  mkdir -p "$o/nodejs/bin" "$o/home/nonroot"
  ln -sfn /usr/bin/node "$o/nodejs/bin/node"
  chown 65532:65532 "$o/home/nonroot"
  chmod 0700 "$o/home/nonroot"
  IMPORT_CHANGES=('ENV LANG=C.UTF-8' 'ENV PATH=/usr/local/bin:/usr/bin:/nodejs/bin' 'ENV NODE_ENV=production'
    'ENTRYPOINT ["/nodejs/bin/node"]')
}

recipe_nginx_runtime() {
  local dir=$1 out=$2 o
  runtime_skeleton "$dir" "$out" 'nginx:x:101:101:nginx:/nonexistent:/usr/sbin/nologin'
  collect "$dir" "$out" /usr/sbin/nginx /etc/nginx/mime.types
  o=$dir$out
  # Like nginxinc/nginx-unprivileged: logs to the container's stdout/stderr, writable bits in /tmp,
  # port 8080, uid 101. Debian's compiled-in temp paths (/var/lib/nginx/*) land in /tmp too.
  mkdir -p "$o/var/log/nginx" "$o/var/lib" "$o/usr/share/nginx/html" "$o/etc/nginx/conf.d"
  ln -sfn /dev/stderr "$o/var/log/nginx/error.log"
  ln -sfn /dev/stdout "$o/var/log/nginx/access.log"
  ln -sfn /tmp "$o/var/lib/nginx"
  printf '<!doctype html><title>nginx</title><p>shopfront-base/nginx-runtime</p>\n' >"$o/usr/share/nginx/html/index.html"
  cat >"$o/etc/nginx/nginx.conf" <<'EOF'
worker_processes auto;
pid /tmp/nginx.pid;
error_log /dev/stderr notice;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path /tmp/client_temp;
    proxy_temp_path /tmp/proxy_temp;
    fastcgi_temp_path /tmp/fastcgi_temp;
    uwsgi_temp_path /tmp/uwsgi_temp;
    scgi_temp_path /tmp/scgi_temp;
    access_log /dev/stdout;
    sendfile on;
    include /etc/nginx/conf.d/*.conf;
    server {
        listen 8080;
        root /usr/share/nginx/html;
    }
}
EOF
  IMPORT_CHANGES=('USER 101' 'EXPOSE 8080' 'ENV PATH=/usr/local/bin:/usr/bin:/usr/sbin'
    'CMD ["nginx", "-g", "daemon off;"]')
}

recipe_python_builder() {
  local dir=$1 v
  v=$(chroot "$dir" python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  # Behave like the official image: `pip install` outside a venv is allowed, `python` exists.
  rm -f "$dir/usr/lib/python$v/EXTERNALLY-MANAGED"
  ln -sfn python3 "$dir/usr/bin/python"
  ln -sfn pip3 "$dir/usr/bin/pip"
  ln -sfn /usr/bin/python3 "$dir/usr/local/bin/python3"
  ln -sfn /usr/bin/python3 "$dir/usr/local/bin/python"
  ln -sfn "/usr/bin/python$v" "$dir/usr/local/bin/python$v"
  IMPORT_CHANGES=('ENV LANG=C.UTF-8' 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
    'ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt' 'ENV REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt'
    'CMD ["python3"]')
}

recipe_node_builder() {
  IMPORT_CHANGES=('ENV LANG=C.UTF-8' 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
    'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt'
    'ENV npm_config_cafile=/etc/ssl/certs/ca-certificates.crt' 'CMD ["node"]')
}

# ensure_base NAME WORKDIR -> prints the tag; builds the image only when the tag is missing.
ensure_base() {
  local name=$1 work=$2 tag recipe suite kind pkgs dir src t0 out=/shopfront-out
  tag=$(base_tag "$name") || {
    blog "no recipe for base '$name'"
    return 1
  }
  if docker image inspect "$tag" >/dev/null 2>&1; then
    printf '%s\n' "$tag"
    return 0
  fi
  t0=$SECONDS
  recipe=$(base_recipe "$name")
  read -r suite kind pkgs <<<"$recipe"
  src=$(minbase_tree "$suite" "$work") || return 1
  dir="$work/rootfs-$name"
  rm -rf "$dir"
  cp -a "$src" "$dir" && prepare_chroot "$suite" "$dir" || return 1
  blog "$name: apt-get install $pkgs ($suite)"
  # shellcheck disable=SC2086 # pkgs is a word list
  { chroot_apt "$dir" update && chroot_apt "$dir" upgrade && chroot_apt "$dir" install $pkgs; } \
    >"$work/apt-$name.log" 2>&1 || {
    tail -30 "$work/apt-$name.log" >&2
    return 1
  }
  IMPORT_CHANGES=()
  if [[ $kind == full ]]; then add_host_cas "$dir" || return 1; fi
  "recipe_${name//-/_}" "$dir" "$out" || return 1
  cleanup_chroot "$dir" || return 1
  local -a changes=()
  local c
  for c in "${IMPORT_CHANGES[@]}" "LABEL org.opencontainers.image.title=\"$name\"" \
    "LABEL org.opencontainers.image.description=\"shopfront offline base ($kind, Debian $suite: $pkgs)\"" \
    "LABEL org.opencontainers.image.created=\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\""; do
    changes+=(--change "$c")
  done
  local root=$dir
  [[ $kind == scratch ]] && root=$dir$out
  # Numeric owners, and no chroot-only leftovers in a full image.
  # Called in `$(...) ||` context, where set -e is off: check every step that matters.
  tar --numeric-owner -C "$root" --exclude="./${out#/}" -c . | docker import "${changes[@]}" - "$tag" >/dev/null ||
    return 1
  rm -rf "$dir"
  blog "$name: $tag made in $((SECONDS - t0))s ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.1f MB", $1/1e6}'))"
  printf '%s\n' "$tag"
}
