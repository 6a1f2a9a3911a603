#!/usr/bin/env bash
# Builds kube-apiserver and kube-controller-manager 1.20 from Debian bookworm's `kubernetes`
# source package, offline, into the cache directory (reused when already built), and installs
# etcd, etcdctl, curl and openssl. Usage: scripts/real-apiserver/build.sh [--force]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/real-apiserver/env.sh
. "$here/env.sh"

force=0
[ "${1:-}" = "--force" ] && force=1

stamp="$REAL_APISERVER_BIN/RECIPE"
mkdir -p "$REAL_APISERVER_CACHE"

# One build at a time per cache directory.
exec 9>"$REAL_APISERVER_CACHE/.build.lock"
command -v flock >/dev/null && flock 9

runtime_ready() {
  command -v etcd >/dev/null && command -v etcdctl >/dev/null && command -v openssl >/dev/null && command -v curl >/dev/null
}

binaries_ready() {
  [ "$force" -eq 0 ] &&
    [ -x "$REAL_APISERVER_BIN/kube-apiserver" ] &&
    [ -x "$REAL_APISERVER_BIN/kube-controller-manager" ] &&
    [ "$(cat "$stamp" 2>/dev/null)" = "$REAL_APISERVER_RECIPE" ]
}

apt_updated=0
apt_update() {
  if [ "$apt_updated" -eq 0 ]; then
    log "apt-get update"
    as_root apt-get update -qq
    apt_updated=1
  fi
}

apt_install() {
  apt_update
  log "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

runtime_packages=(etcd-server etcd-client openssl curl util-linux)
if binaries_ready; then
  runtime_ready || apt_install "${runtime_packages[@]}"
  log "binaries cached in $REAL_APISERVER_BIN"
  exit 0
fi

# apt-get source needs a deb-src entry with the same URIs and suites as the Debian deb entry.
ensure_deb_src() {
  local list=/etc/apt/sources.list.d/istio-lab-deb-src.sources
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    if grep -qE '^Types:.*deb-src' /etc/apt/sources.list.d/debian.sources || [ -f "$list" ]; then
      return
    fi
    log "adding deb-src entries in $list"
    sed -E 's/^Types:.*$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources | as_root tee "$list" >/dev/null
  elif [ -f /etc/apt/sources.list ]; then
    list=/etc/apt/sources.list.d/istio-lab-deb-src.list
    if grep -qE '^deb-src ' /etc/apt/sources.list || [ -f "$list" ]; then
      return
    fi
    log "adding deb-src entries in $list"
    grep -E '^deb ' /etc/apt/sources.list | sed -E 's/^deb /deb-src /' | as_root tee "$list" >/dev/null
  fi
}

ensure_deb_src
apt_install "${runtime_packages[@]}" golang-go make dpkg-dev rsync \
  golang-github-modern-go-reflect2-dev golang-github-json-iterator-go-dev

gocode=/usr/share/gocode/src
reflect2_src="$gocode/github.com/modern-go/reflect2"
jsoniter_src="$gocode/github.com/json-iterator/go"
reflect2_version="v$(dpkg-query -W -f='${Version}' golang-github-modern-go-reflect2-dev | sed -E 's/-[^-]*$//')"
jsoniter_version="v$(dpkg-query -W -f='${Version}' golang-github-json-iterator-go-dev | sed -E 's/-[^-]*$//')"

work="$REAL_APISERVER_CACHE/work"
rm -rf "$work"
mkdir -p "$work"
log "apt-get source $REAL_APISERVER_SRC_PACKAGE (into $work)"
(cd "$work" && apt-get -o APT::Sandbox::User=root source -qq "$REAL_APISERVER_SRC_PACKAGE" >/dev/null)
tree="$(find "$work" -mindepth 1 -maxdepth 1 -type d -name "${REAL_APISERVER_SRC_PACKAGE}-*" | head -n1)"
if [ -z "$tree" ] || [ ! -f "$tree/go.mod" ]; then
  log "no source tree with go.mod under $work"
  exit 1
fi

# Replaces a vendored module's package files with the copy from a Debian -dev package and
# records its version in go.mod and vendor/modules.txt (so -mod=vendor stays consistent).
replace_vendored() {
  local module="$1" from="$2" version="$3" dest="$tree/vendor/$1" old
  [ -d "$from" ] || { log "missing $from"; exit 1; }
  old="$(awk -v m="$module" '$1 == "#" && $2 == m { print $3; exit }' "$tree/vendor/modules.txt")"
  [ -n "$old" ] || { log "$module is not vendored"; exit 1; }
  log "vendor: $module $old -> $version"
  rm -rf "$dest"
  mkdir -p "$dest"
  find "$from" -maxdepth 1 -type f \( -name '*.go' -o -name '*.s' -o -name 'LICENSE' \) ! -name '*_test.go' \
    -exec cp {} "$dest/" \;
  # Every mention (require, replace target, modules.txt headers) moves to the new version.
  local pattern="${module//./\\.} ${old//./\\.}"
  sed -i -E "s#${pattern}([[:space:]]|\$)#${module} ${version}\\1#g" "$tree/go.mod" "$tree/vendor/modules.txt"
  if grep -qE "${pattern}([[:space:]]|\$)" "$tree/go.mod" "$tree/vendor/modules.txt"; then
    log "$module $old is still named in go.mod or vendor/modules.txt"
    exit 1
  fi
}

replace_vendored github.com/modern-go/reflect2 "$reflect2_src" "$reflect2_version"
replace_vendored github.com/json-iterator/go "$jsoniter_src" "$jsoniter_version"

log "make WHAT=\"cmd/kube-apiserver cmd/kube-controller-manager\" (about 5 minutes on 2 cores)"
started=$(date +%s)
(
  cd "$tree"
  export GOPROXY=off GOFLAGS=-mod=vendor CGO_ENABLED=0 GO111MODULE=on
  export GOCACHE="$work/go-build" GOPATH="$work/gopath"
  export KUBE_GIT_VERSION="$REAL_APISERVER_GIT_VERSION" KUBE_GIT_TREE_STATE=clean
  make WHAT="cmd/kube-apiserver cmd/kube-controller-manager" >"$work/make.log" 2>&1 ||
    { tail -n 60 "$work/make.log" >&2; exit 1; }
)
log "built in $(($(date +%s) - started)) s"

out="$(find "$tree/_output" -type f -name kube-apiserver -path '*/bin/*' | head -n1)"
[ -n "$out" ] || { log "kube-apiserver not found under $tree/_output"; exit 1; }
mkdir -p "$REAL_APISERVER_BIN"
cp "$out" "$(dirname "$out")/kube-controller-manager" "$REAL_APISERVER_BIN/"
echo "$REAL_APISERVER_RECIPE" >"$stamp"
"$REAL_APISERVER_BIN/kube-apiserver" --version >&2

# The tree and the Go build cache are ~2.4 GB; keep them only on request.
if [ "${REAL_APISERVER_KEEP_TREE:-0}" != "1" ]; then
  chmod -R u+w "$work" 2>/dev/null || true
  rm -rf "$work"
fi
log "binaries in $REAL_APISERVER_BIN"
