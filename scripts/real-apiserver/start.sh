#!/usr/bin/env bash
# Starts etcd, kube-apiserver and kube-controller-manager on loopback ports with freshly generated
# certs and an empty store, writes a token kubeconfig, and waits until the API server is ready and
# the controller-manager has created the default ServiceAccount. Prints the kubeconfig path.
# Secrets bypass the watch cache (--watch-cache-sizes secrets#0) so that a test can compact etcd
# and see 410 Expired for an old resourceVersion, as a long-running cluster would.
# Run build.sh first; stop with stop.sh (it stops exactly the processes recorded here).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/real-apiserver/env.sh
. "$here/env.sh"

run="$REAL_APISERVER_RUN"
bin="$REAL_APISERVER_BIN"
for b in kube-apiserver kube-controller-manager; do
  [ -x "$bin/$b" ] || { log "$bin/$b is missing: run scripts/real-apiserver/build.sh first"; exit 1; }
done
command -v etcd >/dev/null || { log "etcd is missing: run scripts/real-apiserver/build.sh first"; exit 1; }

# Refuse to start twice: a previous run's processes are still alive.
for name in etcd kube-apiserver kube-controller-manager; do
  pid="$(cat "$run/$name.pid" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    log "$name is already running (pid $pid): run scripts/real-apiserver/stop.sh first"
    exit 1
  fi
done

rm -rf "$run"
mkdir -p "$run/pki" "$run/etcd"
chmod 700 "$run"
pki="$run/pki"

# --- certificates: a CA, the API server's serving cert, a service-account key pair ------------
log "generating certificates in $pki"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=istio-lab-real-apiserver-ca" \
  -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
cat >"$pki/server.ext" <<EXT
basicConstraints=CA:FALSE
keyUsage=digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc
EXT
openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" \
  -keyout "$pki/server.key" -out "$pki/server.csr" 2>/dev/null
openssl x509 -req -in "$pki/server.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
  -days 2 -extfile "$pki/server.ext" -out "$pki/server.crt" 2>/dev/null
openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null

admin_token="$(openssl rand -hex 24)"
kcm_token="$(openssl rand -hex 24)"
cat >"$pki/tokens.csv" <<TOKENS
$admin_token,istio-lab-admin,1000,"system:masters"
$kcm_token,system:kube-controller-manager,1001,"system:masters"
TOKENS
chmod 600 "$pki"/*

# Writes a kubeconfig for a token user.
write_kubeconfig() {
  local file="$1" user="$2" token="$3" ca
  ca="$(base64 -w0 <"$pki/ca.crt")"
  cat >"$file" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
  - name: real-apiserver
    cluster:
      server: https://127.0.0.1:$REAL_APISERVER_PORT
      certificate-authority-data: $ca
users:
  - name: $user
    user:
      token: $token
contexts:
  - name: istio-lab-real-apiserver
    context:
      cluster: real-apiserver
      user: $user
      namespace: default
current-context: istio-lab-real-apiserver
KUBECONFIG
  chmod 600 "$file"
}
write_kubeconfig "$REAL_APISERVER_KUBECONFIG" istio-lab-admin "$admin_token"
write_kubeconfig "$run/kcm.kubeconfig" kube-controller-manager "$kcm_token"

# Starts a process in its own session, detached from our stdio, and records its PID.
launch() {
  local name="$1"
  shift
  setsid "$@" </dev/null >"$run/$name.log" 2>&1 &
  echo $! >"$run/$name.pid"
}

# Waits until a URL answers 200 with curl, or the process died, or the timeout passed.
wait_for() {
  local what="$1" pidfile="$2" timeout="$3"
  shift 3
  local deadline=$((SECONDS + timeout))
  until curl -fsS --max-time 2 -o /dev/null "$@" 2>/dev/null; do
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      log "$what exited; the end of its log:"
      tail -n 40 "${pidfile%.pid}.log" >&2
      exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "$what not ready after ${timeout}s; the end of its log:"
      tail -n 40 "${pidfile%.pid}.log" >&2
      exit 1
    fi
    sleep 0.5
  done
}

started=$SECONDS
etcd_url="http://127.0.0.1:$REAL_APISERVER_ETCD_PORT"
peer_url="http://127.0.0.1:$REAL_APISERVER_ETCD_PEER_PORT"
launch etcd etcd --name real-apiserver --data-dir "$run/etcd" \
  --listen-client-urls "$etcd_url" --advertise-client-urls "$etcd_url" \
  --listen-peer-urls "$peer_url" --initial-advertise-peer-urls "$peer_url" \
  --initial-cluster "real-apiserver=$peer_url" --initial-cluster-state new
wait_for etcd "$run/etcd.pid" 30 "$etcd_url/health"

api="https://127.0.0.1:$REAL_APISERVER_PORT"
launch kube-apiserver "$bin/kube-apiserver" \
  --etcd-servers "$etcd_url" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$REAL_APISERVER_PORT" --insecure-port 0 \
  --cert-dir "$run/pki" --tls-cert-file "$pki/server.crt" --tls-private-key-file "$pki/server.key" \
  --client-ca-file "$pki/ca.crt" --token-auth-file "$pki/tokens.csv" \
  --authorization-mode RBAC \
  --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
  --service-account-issuer https://kubernetes.default.svc.cluster.local --api-audiences https://kubernetes.default.svc.cluster.local \
  --service-cluster-ip-range 10.0.0.0/24 \
  --allow-privileged \
  --watch-cache-sizes secrets#0 \
  --profiling=false \
  --v 1
wait_for kube-apiserver "$run/kube-apiserver.pid" 90 \
  --cacert "$pki/ca.crt" -H "Authorization: Bearer $admin_token" "$api/readyz"
log "kube-apiserver ready after $((SECONDS - started)) s"

launch kube-controller-manager "$bin/kube-controller-manager" \
  --kubeconfig "$run/kcm.kubeconfig" \
  --authentication-kubeconfig "$run/kcm.kubeconfig" --authorization-kubeconfig "$run/kcm.kubeconfig" \
  --bind-address 127.0.0.1 --secure-port "$REAL_APISERVER_KCM_PORT" --port 0 \
  --cert-dir "$run/pki" \
  --leader-elect=false \
  --use-service-account-credentials=false \
  --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
  --service-cluster-ip-range 10.0.0.0/24 \
  --profiling=false \
  --v 1
wait_for kube-controller-manager "$run/kube-controller-manager.pid" 60 -k "https://127.0.0.1:$REAL_APISERVER_KCM_PORT/healthz"
# Pods are admitted only once the default ServiceAccount and its token exist.
wait_for "the default ServiceAccount" "$run/kube-controller-manager.pid" 60 \
  --cacert "$pki/ca.crt" -H "Authorization: Bearer $admin_token" "$api/api/v1/namespaces/default/serviceaccounts/default"
log "etcd, kube-apiserver and kube-controller-manager up in $((SECONDS - started)) s"
echo "$REAL_APISERVER_KUBECONFIG"
