#!/usr/bin/env bash
# The real-apiserver test tier (`npm run test:real-apiserver`): builds the binaries if the cache
# lacks them, starts etcd + kube-apiserver + kube-controller-manager, runs test/real-apiserver
# against them, and stops them again whatever the outcome.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=scripts/real-apiserver/env.sh
. "$here/env.sh"

started=$SECONDS
"$here/build.sh"
log "build step took $((SECONDS - started)) s"

"$here/stop.sh"
trap '"$here/stop.sh"' EXIT
"$here/start.sh" >/dev/null

export REAL_APISERVER_KUBECONFIG REAL_APISERVER_ETCD_ENDPOINT
cd "$repo"
node scripts/run-tests.mjs "${@:-test/real-apiserver}"
log "tier took $((SECONDS - started)) s"
