// What catalogue's Go libraries print and decide: go-kit's logfmt logger with `ts` (RFC 3339 nano,
// UTC) and `caller`, Go's time.Duration and time.Time strings, and sony/gobreaker's circuit breaker
// with go-kit's defaults (trip after more than 5 consecutive failures, open for Settings.Timeout, then
// one trial request in half-open).

/** Go's time.Duration.String() for a duration in milliseconds. */
export function goDuration(ms: number): string {
  if (ms <= 0) return '0s';
  const trim = (n: number, digits: number) => n.toFixed(digits).replace(/\.?0+$/, '');
  if (ms < 1) return `${trim(ms * 1000, 3)}µs`;
  if (ms < 1000) return `${trim(ms, 6)}ms`;
  const totalS = ms / 1000;
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = trim(totalS % 60, 9);
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

/** time.RFC3339Nano in UTC: trailing zeros of the fraction dropped (`…:09.84Z`, `…:09Z`). */
export function rfc3339Nano(d: Date): string {
  return d.toISOString().replace(/\.(\d*?)0*Z$/, (_, f: string) => (f ? `.${f}Z` : 'Z'));
}

/** Go's time.Time.String() with a monotonic reading: `2017-03-15 10:00:00.123 +0000 UTC m=+12.345000001`. */
export function goTimeString(d: Date, sinceStartMs: number): string {
  const iso = d.toISOString();
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac ? `.${frac}` : ''} +0000 UTC m=+${(sinceStartMs / 1000).toFixed(9)}`;
}

/** go-logfmt: keys lose spaces, `=`, `"` and control characters; values with those are quoted; nil is null. */
export function logfmt(pairs: [string, unknown][]): string {
  const special = (c: string) => c <= ' ' || c === '=' || c === '"';
  const key = (k: string) => [...k].filter((c) => !special(c)).join('');
  const value = (v: unknown) => {
    if (v === null || v === undefined) return 'null';
    const s = String(v);
    if (s === 'null') return '"null"';
    return [...s].some(special) ? JSON.stringify(s) : s;
  };
  return pairs.map(([k, v]) => `${key(k)}=${value(v)}`).join(' ');
}

/** gobreaker's answer when a request may not run. */
export class BreakerOpenError extends Error {}

/** sony/gobreaker with go-kit's settings: Timeout as given, MaxRequests 1, ReadyToTrip = ConsecutiveFailures > 5. */
export class GoBreaker {
  private state: 'closed' | 'open' | 'half-open' = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trial = false;

  constructor(
    private readonly now: () => number,
    private readonly timeoutMs = 30_000,
  ) {}

  /** Runs `fn` unless the breaker is open (or its one half-open trial is in flight), counting the outcome. */
  async execute<T>(fn: () => Promise<T>): Promise<T> {
    if (this.state === 'open' && this.now() - this.openedAt >= this.timeoutMs) this.state = 'half-open';
    if (this.state === 'open') throw new BreakerOpenError('circuit breaker is open');
    if (this.state === 'half-open') {
      if (this.trial) throw new BreakerOpenError('too many requests');
      this.trial = true;
    }
    try {
      const out = await fn();
      this.state = 'closed';
      this.failures = 0;
      return out;
    } catch (err) {
      this.failures++;
      if (this.state === 'half-open' || this.failures > 5) {
        this.state = 'open';
        this.openedAt = this.now();
        this.failures = 0;
      }
      throw err;
    } finally {
      this.trial = false;
    }
  }
}
