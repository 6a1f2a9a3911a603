#!/usr/bin/env bash
# Shared settings for the real kube-apiserver tier; sourced by build.sh, start.sh and stop.sh.
# Everything built or started lives outside the repository, under REAL_APISERVER_CACHE (binaries,
# reused between runs) and REAL_APISERVER_RUN (certs, etcd data, logs, PID files, kubeconfig).
# shellcheck disable=SC2034  # the variables are used by the scripts that source this file

REAL_APISERVER_CACHE="${REAL_APISERVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/istio-lab/real-apiserver}"
REAL_APISERVER_BIN="$REAL_APISERVER_CACHE/bin"
REAL_APISERVER_RUN="${REAL_APISERVER_RUN:-$REAL_APISERVER_CACHE/run}"
REAL_APISERVER_KUBECONFIG="$REAL_APISERVER_RUN/kubeconfig"

# Loopback ports; override when they are taken.
REAL_APISERVER_ETCD_PORT="${REAL_APISERVER_ETCD_PORT:-23379}"
REAL_APISERVER_ETCD_PEER_PORT="${REAL_APISERVER_ETCD_PEER_PORT:-23380}"
REAL_APISERVER_PORT="${REAL_APISERVER_PORT:-26443}"
REAL_APISERVER_KCM_PORT="${REAL_APISERVER_KCM_PORT:-26257}"
REAL_APISERVER_ETCD_ENDPOINT="http://127.0.0.1:$REAL_APISERVER_ETCD_PORT"

# The Debian source package and the vendored modules replaced from Debian's -dev packages.
# Bump REAL_APISERVER_RECIPE when build.sh changes how the binaries are made: a cache built by
# another recipe is rebuilt.
REAL_APISERVER_RECIPE="1"
REAL_APISERVER_SRC_PACKAGE="kubernetes"
REAL_APISERVER_GIT_VERSION="${REAL_APISERVER_GIT_VERSION:-v1.20.2}"

# Runs a command as root (apt-get), with sudo when we are not root already.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Prints a progress line on stderr.
log() {
  printf '[real-apiserver] %s\n' "$*" >&2
}
