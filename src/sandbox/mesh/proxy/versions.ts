// Istio version switches (§14).

const parsed = new Map<string, [number, number]>();

/** `major.minor` of a version string as a comparable number pair (memoised: a handful of strings, checked per request). */
function parse(v: string): [number, number] {
  let p = parsed.get(v);
  if (!p) {
    const m = /^(\d+)\.(\d+)/.exec(v.trim().replace(/^v/, ''));
    p = m ? [Number(m[1]), Number(m[2])] : [99, 99];
    if (parsed.size < 256) parsed.set(v, p);
  }
  return p;
}

/** True when `version` ≤ `limit` (major.minor). */
export function isVersionAtMost(version: string, limit: string): boolean {
  const [a, b] = parse(version);
  const [c, d] = parse(limit);
  return a < c || (a === c && b <= d);
}

const gates = new Map<string, (limit: string) => boolean>();

/** Bind a version for repeated checks (one function per version string). */
export function versionGate(version: string): (limit: string) => boolean {
  let gate = gates.get(version);
  if (!gate) {
    gate = (limit) => isVersionAtMost(version, limit);
    if (gates.size < 64) gates.set(version, gate);
  }
  return gate;
}
