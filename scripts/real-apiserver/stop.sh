#!/usr/bin/env bash
# Stops the processes start.sh recorded in its PID files (controller-manager, API server, etcd),
# and only those: a PID is signalled only while it still runs the program it was recorded for.
# Keeps the run directory (logs) unless --clean is given.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/real-apiserver/env.sh
. "$here/env.sh"

run="$REAL_APISERVER_RUN"

# Stops one recorded process: TERM, then KILL after 15 s.
stop_one() {
  local name="$1" pidfile="$run/$1.pid" pid exe
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  exe="$(readlink "/proc/$pid/exe" 2>/dev/null || true)"
  if [ -z "$exe" ] || [ "$(basename "$exe")" != "$name" ]; then
    rm -f "$pidfile"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name (pid $pid) ignored TERM; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  log "stopped $name (pid $pid)"
}

for name in kube-controller-manager kube-apiserver etcd; do
  stop_one "$name"
done
if [ "${1:-}" = "--clean" ]; then
  rm -rf "$run"
fi
