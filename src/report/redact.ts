// Secrets never leave the process: credentials registered here (kubeconfig tokens, passwords,
// client keys) and anything shaped like a credential (Authorization headers, `token:` /
// `password:` / `client-key-data:` fields) are replaced by "[redacted]" in everything istio-lab
// prints or writes: reporter events, report files and streams, and error messages.

/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]';

/** Shorter values are not redacted: they would mangle ordinary words ("admin", "1234"). */
const MIN_SECRET_LENGTH = 6;

const secrets = new Set<string>();
let ordered: string[] = [];

/** Keeps the quotes of a quoted value and replaces what is between them. */
const keepQuotes = (_all: string, lead: string, value: string) => `${lead}${/^["']/.test(value) ? `${value[0]}${REDACTED}${value[0]}` : REDACTED}`;

/** Credential-shaped text: an Authorization header, a URL's password, or a kubeconfig credential field. */
const CREDENTIAL_PATTERNS: [RegExp, string | ((...groups: string[]) => string)][] = [
  [/\b(authorization"?\s*[:=]\s*"?(?:bearer|basic)\s+)[^\s"',]+/gi, `$1${REDACTED}`],
  [/\b(bearer\s+)[A-Za-z0-9._~+/=-]{16,}/gi, `$1${REDACTED}`],
  [/(\bhttps?:\/\/[^\s/:@]+:)[^\s/@]+@/gi, `$1${REDACTED}@`],
  [/((?:^|[\s{,"'])(?:token|password|client-key-data|id-token|refresh-token|access-token|client-secret)["']?\s*[:=]\s*)("(?:[^"\\\n]|\\.)+"|'[^'\n]+'|(?!\[redacted\])[^\s"',}]+)/gim, keepQuotes],
];

/** Registers credentials to redact from now on; multi-line values (PEM keys) also line by line. */
export function registerSecrets(values: Iterable<string | undefined | null>): void {
  for (const value of values) {
    if (typeof value !== 'string') continue;
    const parts = [value.trim(), ...value.split(/\r?\n/).map((line) => line.trim()).filter((line) => !line.startsWith('-----'))];
    for (const part of parts) {
      if (part.length < MIN_SECRET_LENGTH) continue;
      secrets.add(part);
      const escaped = JSON.stringify(part).slice(1, -1);
      if (escaped !== part) secrets.add(escaped);
    }
  }
  ordered = [...secrets].sort((a, b) => b.length - a.length);
}

/** Forgets every registered secret (tests). */
export function clearSecrets(): void {
  secrets.clear();
  ordered = [];
}

/** Replaces registered secrets and credential-shaped text in `text`. */
export function redactText(text: string): string {
  let out = text;
  for (const secret of ordered) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  for (const [pattern, replacement] of CREDENTIAL_PATTERNS) out = out.replace(pattern, replacement as (...groups: string[]) => string);
  return out;
}

/**
 * Redacts every string inside data (plain objects, arrays, Maps, Sets, Error messages), keeping
 * its shape, cycles included; other values pass through as they are. The input is not modified.
 */
export function redactDeep<T>(value: T, seen = new Map<object, unknown>()): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return seen.get(value) as T;
  if (value instanceof Error) {
    const copy = Object.assign(new Error(redactText(value.message)), { name: value.name });
    seen.set(value, copy);
    return copy as T;
  }
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(redactDeep(item, seen));
    return copy as T;
  }
  if (value instanceof Set) {
    const copy = new Set();
    seen.set(value, copy);
    for (const item of value) copy.add(redactDeep(item, seen));
    return copy as T;
  }
  if (value instanceof Map) {
    const copy = new Map();
    seen.set(value, copy);
    for (const [k, v] of value) copy.set(k, redactDeep(v, seen));
    return copy as T;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const [key, item] of Object.entries(value)) copy[key] = redactDeep(item, seen);
  return copy as T;
}
