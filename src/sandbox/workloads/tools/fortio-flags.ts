// fortio's flags for `load` and `curl`, parsed like Go's flag package: `-name value`, `-name=value`,
// `--name`, boolean flags without a value, parsing stops at the first non-flag argument.
import { parseLogLevel } from './fortio-log.js';
import { parseGoDuration } from './fortio-stats.js';

/** The options `fortio load` / `fortio curl` read. */
export interface FortioFlags {
  threads: number;
  qps: number;
  exactly: number;
  /** -t in ms; 0 means until interrupted. */
  durationMs: number;
  durationText: string;
  logLevel: number;
  logLevelSet: boolean;
  headers: string[];
  payload?: string;
  contentType?: string;
  method?: string;
  timeoutMs: number;
  allowInitialErrors: boolean;
  abortOn: number;
  percentiles: number[];
  resolution: number;
  uniform: boolean;
  jitter: boolean;
  noCatchUp: boolean;
  curlStdoutHeaders: boolean;
  curl: boolean;
  /** Positional arguments (the URL). */
  args: string[];
}

type Setter = (f: FortioFlags, v: string) => string | void;
const int = (set: (f: FortioFlags, n: number) => unknown): Setter => (f, v) => {
  if (!/^-?\d+$/.test(v)) return `invalid value "${v}" for flag: parse error`;
  set(f, Number(v));
};
const float = (set: (f: FortioFlags, n: number) => unknown): Setter => (f, v) => {
  if (!Number.isFinite(Number(v)) || v.trim() === '') return `invalid value "${v}" for flag: parse error`;
  set(f, Number(v));
};
const duration = (set: (f: FortioFlags, ms: number, text: string) => unknown): Setter => (f, v) => {
  const ms = parseGoDuration(v);
  if (ms === undefined) return `invalid value "${v}" for flag: parse error`;
  set(f, ms, v);
};
const ignore: Setter = () => undefined;

/** Flags that take a value. */
const VALUED: Record<string, Setter> = {
  c: int((f, n) => (f.threads = n)),
  qps: float((f, n) => (f.qps = n)),
  n: int((f, n) => (f.exactly = n)),
  t: duration((f, ms, text) => ((f.durationMs = ms), (f.durationText = text))),
  timeout: duration((f, ms) => (f.timeoutMs = ms)),
  loglevel: (f, v) => {
    const level = parseLogLevel(v);
    if (level === undefined) return `invalid value "${v}" for flag: invalid log level`;
    f.logLevel = level;
    f.logLevelSet = true;
  },
  H: (f, v) => void f.headers.push(v),
  payload: (f, v) => void (f.payload = v),
  'payload-size': int((f, n) => (f.payload = 'x'.repeat(Math.max(0, n)))),
  'content-type': (f, v) => void (f.contentType = v),
  X: (f, v) => void (f.method = v),
  'abort-on': int((f, n) => (f.abortOn = n)),
  p: (f, v) => {
    const list = v.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
    if (!list.length || list.some((n) => !Number.isFinite(n))) return `invalid value "${v}" for flag: list can't be empty`;
    f.percentiles = list;
  },
  r: float((f, n) => (f.resolution = n)),
};
for (const name of ['labels', 'json', 'resolve', 'offset', 'data-dir', 'base-url', 'runid', 'access-log-file', 'access-log-format', 'connection-reuse', 'gomaxprocs', 'httpbufferkb', 'max-payload-size-kb', 'cacert', 'cert', 'key', 'user', 'unix-socket', 'payload-file', 'log-format', 'logger-force-color', 'sequential-warmup-delay', 'uniform-jitter']) VALUED[name] ??= ignore;

/** Boolean flags (`-name`, `-name=true|false`). */
const BOOLS: Record<string, (f: FortioFlags, on: boolean) => void> = {
  quiet: (f, on) => on && ((f.logLevel = 4), (f.logLevelSet = false)),
  'allow-initial-errors': (f, on) => (f.allowInitialErrors = on),
  uniform: (f, on) => (f.uniform = on),
  jitter: (f, on) => (f.jitter = on),
  nocatchup: (f, on) => (f.noCatchUp = on),
  'curl-stdout-headers': (f, on) => (f.curlStdoutHeaders = on),
  curl: (f, on) => (f.curl = on),
};
for (const name of ['k', 'https-insecure', 'stdclient', 'http1.0', 'h2', 'keepalive', 'compression', 'sequential-warmup', 'a', 'log-errors', 'L', 'calc-qps', 'halfclose', 'no-reresolve', 'logger-file-line', 'logger-timestamp', 'logger-goroutine', 'dns-method']) BOOLS[name] ??= () => undefined;

/** Defaults of `periodic.DefaultRunnerOptions` and `fhttp.HTTPOptions`. */
export function defaultFortioFlags(): FortioFlags {
  return {
    threads: 4, qps: 8, exactly: 0, durationMs: 5000, durationText: '5s', logLevel: 2, logLevelSet: false, headers: [], timeoutMs: 3000,
    allowInitialErrors: false, abortOn: 0, percentiles: [50, 75, 90, 99, 99.9], resolution: 0.001, uniform: false, jitter: false, noCatchUp: false,
    curlStdoutHeaders: false, curl: false, args: [],
  };
}

/** Parses flags after the sub-command; returns an error message (Go flag's wording) on failure. */
export function parseFortioFlags(args: string[]): FortioFlags | string {
  const f = defaultFortioFlags();
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    const body = a.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    if (BOOLS[name]) {
      const value = eq >= 0 ? body.slice(eq + 1) : 'true';
      if (!/^(true|false|1|0|t|f)$/i.test(value)) return `invalid boolean value "${value}" for -${name}: parse error`;
      BOOLS[name](f, /^(true|1|t)$/i.test(value));
      continue;
    }
    const set = VALUED[name];
    if (!set) return `flag provided but not defined: -${name}`;
    const value = eq >= 0 ? body.slice(eq + 1) : args[++i];
    if (value === undefined) return `flag needs an argument: -${name}`;
    const problem = set(f, value);
    if (typeof problem === 'string') return problem.replace('for flag:', `for flag -${name}:`);
  }
  f.args = args.slice(i);
  return f;
}
