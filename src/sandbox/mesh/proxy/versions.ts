// Istio version switches (§14).

/** `major.minor` of a version string as a comparable number pair. */
function parse(v: string): [number, number] {
  const m = /^(\d+)\.(\d+)/.exec(v.trim().replace(/^v/, ''));
  return m ? [Number(m[1]), Number(m[2])] : [99, 99];
}

/** True when `version` ≤ `limit` (major.minor). */
export function isVersionAtMost(version: string, limit: string): boolean {
  const [a, b] = parse(version);
  const [c, d] = parse(limit);
  return a < c || (a === c && b <= d);
}

/** Bind a version for repeated checks. */
export function versionGate(version: string): (limit: string) => boolean {
  return (limit) => isVersionAtMost(version, limit);
}
