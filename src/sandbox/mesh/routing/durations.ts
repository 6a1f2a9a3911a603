// Durations as Istio config spells them (§3 fixedDelay, §4 timeout/perTryTimeout, §5 interval/baseEjectionTime): protobuf JSON seconds (`0.5s`) and Go-style units (`100ms`, `1m30s`).

const unitMs: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parse a duration string into milliseconds; undefined when absent or malformed. */
export function parseDurationMs(value: unknown): number | undefined {
  if (typeof value === 'number') return value * 1000;
  if (typeof value !== 'string' || !value.trim()) return undefined;
  const re = /(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  const text = value.trim();
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * unitMs[m[2]];
    consumed = re.lastIndex;
  }
  return consumed === text.length && consumed > 0 ? total : undefined;
}
