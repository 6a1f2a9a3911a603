// The test-only API fault mode's configuration: parsed from ISTIO_LAB_SANDBOX_FAULTS (or the
// launcher's `faults` option), e.g. `rate=0.05,seed=42,kinds=503|reset,slowMs=300`.

/** A fault the sandbox can inject into an API request. */
export type FaultKind = '500' | '503' | '429' | 'reset' | 'slow' | 'drop-watch';

/** Every fault kind, in the order the spec documents them. */
export const faultKinds: readonly FaultKind[] = ['500', '503', '429', 'reset', 'slow', 'drop-watch'];

/** A parsed fault spec. */
export interface FaultSpec {
  /** Probability in [0, 1] that one API request gets a fault. */
  rate: number;
  /** Seed of the decisions (the same request order gives the same faults). */
  seed: number;
  /** Kinds to choose from (uniformly, among those that apply to the request). */
  kinds: FaultKind[];
  /** Delay of a `slow` response, ms. */
  slowMs: number;
  /** Retry-After of a 429, seconds. */
  retryAfterSeconds: number;
}

/** The environment variable the sandbox server process reads. */
export const faultsEnvVar = 'ISTIO_LAB_SANDBOX_FAULTS';

const usage = `${faultsEnvVar}=rate=0.05,seed=42[,kinds=${faultKinds.join('|')}][,slowMs=300][,retryAfter=1]`;

/** Parse a spec; undefined when the text is empty (fault mode off). Throws a one-paragraph error on bad input. */
export function parseFaultSpec(text: string | undefined): FaultSpec | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const spec: FaultSpec = { rate: NaN, seed: NaN, kinds: [...faultKinds], slowMs: 300, retryAfterSeconds: 1 };
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    const [key, value] = eq < 0 ? [part, ''] : [part.slice(0, eq).trim(), part.slice(eq + 1).trim()];
    switch (key) {
      case 'rate':
        spec.rate = Number(value);
        if (value === '' || !(spec.rate >= 0 && spec.rate <= 1)) throw invalid(text, `rate must be a number from 0 to 1, got "${value}"`);
        break;
      case 'seed':
        spec.seed = Number(value);
        if (!/^\d+$/.test(value)) throw invalid(text, `seed must be a non-negative integer, got "${value}"`);
        break;
      case 'kinds': {
        const kinds = value.split('|').map((k) => k.trim()).filter(Boolean);
        const unknown = kinds.filter((k) => !faultKinds.includes(k as FaultKind));
        if (!kinds.length || unknown.length) throw invalid(text, `kinds must be one or more of ${faultKinds.join('|')}, got "${value}"`);
        spec.kinds = [...new Set(kinds as FaultKind[])];
        break;
      }
      case 'slowMs':
        spec.slowMs = Number(value);
        if (!/^\d+$/.test(value) || spec.slowMs > 60_000) throw invalid(text, `slowMs must be an integer number of milliseconds up to 60000, got "${value}"`);
        break;
      case 'retryAfter':
        spec.retryAfterSeconds = Number(value);
        if (!/^\d+$/.test(value) || spec.retryAfterSeconds < 1 || spec.retryAfterSeconds > 60) throw invalid(text, `retryAfter must be whole seconds from 1 to 60, got "${value}"`);
        break;
      default:
        throw invalid(text, `unknown key "${key}"`);
    }
  }
  if (Number.isNaN(spec.rate)) throw invalid(text, 'rate is required');
  if (Number.isNaN(spec.seed)) throw invalid(text, 'seed is required (faults are reproducible only with one)');
  return spec;
}

/** One-line description of a spec (for the start banner and the faults endpoint). */
export function describeFaultSpec(s: FaultSpec): string {
  return `rate=${s.rate},seed=${s.seed},kinds=${s.kinds.join('|')},slowMs=${s.slowMs},retryAfter=${s.retryAfterSeconds}`;
}

function invalid(text: string, cause: string): Error {
  return new Error(`invalid sandbox fault spec "${text}": ${cause}. Use ${usage} (a test-only mode: unset ${faultsEnvVar} for normal use).`);
}
