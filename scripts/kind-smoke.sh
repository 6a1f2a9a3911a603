#!/usr/bin/env bash
# Smoke test on a real kind cluster: install Istio with istioctl (through istio-lab's install lab),
# then for every lab of a track: run it under --prove, verify it, reset it; finally reset
# everything and check that nothing istio-lab created is left. JUnit reports go to $OUT.
#
# Needs: docker, kind, kubectl, node 20+, curl. Environment (all optional):
#   KIND_CLUSTER   cluster name (default istio-lab-smoke; created if missing, deleted only if created here)
#   ISTIO_VERSION  Istio release to download istioctl from (default 1.30.3)
#   ISTIOCTL       use this istioctl instead of downloading one
#   TRACK          track to run (default core)
#   LABS           space-separated lab names (default: every lab of $TRACK)
#   OUT            report directory (default smoke-results)
set -euo pipefail
cd "$(dirname "$0")/.."

cluster="${KIND_CLUSTER:-istio-lab-smoke}"
istio_version="${ISTIO_VERSION:-1.30.3}"
track="${TRACK:-core}"
out="${OUT:-smoke-results}"

need() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "kind-smoke: $1 is required: $2" >&2
    exit 2
  fi
}
need docker "https://docs.docker.com/engine/install/"
need kind "https://kind.sigs.k8s.io/docs/user/quick-start/#installation"
need kubectl "https://kubernetes.io/docs/tasks/tools/"
need node "Node.js 20 or newer"
need curl "your distribution's curl package"

created=""
if ! kind get clusters | grep -qx "$cluster"; then
  kind create cluster --name "$cluster" --wait 180s
  created=1
fi
cleanup() {
  if [[ -n "$created" && -z "${KEEP_CLUSTER:-}" ]]; then kind delete cluster --name "$cluster"; fi
}
trap cleanup EXIT

context="kind-$cluster"
if [[ -z "${ISTIOCTL:-}" ]]; then
  dir="$PWD/.cache/istio-$istio_version"
  if [[ ! -x "$dir/bin/istioctl" ]]; then
    mkdir -p .cache
    (cd .cache && curl -fsSL https://istio.io/downloadIstio | ISTIO_VERSION="$istio_version" sh -)
  fi
  ISTIOCTL="$dir/bin/istioctl"
fi

[[ -f dist/cli/main.js ]] || npm run build
cli=(node bin/istio-lab.js)
mkdir -p "$out"

if [[ -n "${LABS:-}" ]]; then
  read -r -a labs <<<"$LABS"
else
  mapfile -t labs < <("${cli[@]}" list --track "$track" -o json | node -e 'let s="";process.stdin.on("data",(c)=>s+=c).on("end",()=>{for(const l of JSON.parse(s))if(l.name!=="install")console.log(l.name)})')
fi

failed=()
"${cli[@]}" run "$track/install" --context "$context" --istioctl "$ISTIOCTL" --reporter plain --reporter "junit=$out/install.xml"
for lab in "${labs[@]}"; do
  echo "::group::$track/$lab"
  if "${cli[@]}" run "$track/$lab" --prove --context "$context" --istioctl "$ISTIOCTL" --reporter plain --reporter "junit=$out/$lab.xml" &&
    "${cli[@]}" verify "$track/$lab" --context "$context" --reporter plain; then
    echo "$track/$lab passed"
  else
    failed+=("$lab")
  fi
  "${cli[@]}" reset "$track/$lab" --context "$context"
  echo "::endgroup::"
done

"${cli[@]}" reset --context "$context" --istioctl "$ISTIOCTL"
left=$(kubectl --context "$context" get all,configmaps,namespaces -A -l app.kubernetes.io/managed-by=istio-lab -o name)
if [[ -n "$left" ]]; then
  echo "kind-smoke: reset left objects behind:" >&2
  echo "$left" >&2
  exit 1
fi
if ((${#failed[@]})); then
  echo "kind-smoke: failed labs: ${failed[*]}" >&2
  exit 1
fi
echo "kind-smoke: ${#labs[@]} labs of $track passed on $context; reset left nothing behind"
