// curl's command line: short flags (bundled: `-sSo file`, `-o/dev/null`), long options (each with its own
// argument, as curl wants: `--max-time 5`, not `--max-time=5`), and URLs, into one options object.

/** A piece of request body from -d / --data-raw / --data-binary / --data-urlencode / --json. */
export interface CurlData {
  kind: 'ascii' | 'raw' | 'binary' | 'urlencode' | 'json';
  value: string;
}

/** One URL on the command line and where its body goes. */
export interface CurlTarget {
  raw: string;
  /** -o FILE (or `-` for stdout) paired with this URL, in order. */
  output?: string;
  /** -O: save under the URL's last path segment. */
  remoteName?: boolean;
}

/** Everything curl was asked to do. */
export interface CurlOptions {
  targets: CurlTarget[];
  silent: boolean;
  showError: boolean;
  verbose: boolean;
  include: boolean;
  head: boolean;
  fail: boolean;
  failWithBody: boolean;
  location: boolean;
  maxRedirs: number;
  get: boolean;
  noProgress: boolean;
  method?: string;
  headers: string[];
  data: CurlData[];
  userAgent?: string;
  referer?: string;
  user?: string;
  cookie?: string;
  bearer?: string;
  maxTimeMs?: number;
  connectTimeoutMs?: number;
  writeOut?: string;
  resolve: string[];
  /** -D / --dump-header: where response heads are written (`-` = stdout). */
  dumpHeader?: string;
  /** -o / -O in command-line order (`\0remote` for -O); paired with `targets` in order after parsing. */
  outputs: string[];
}

/** A command-line error: the message after `curl: ` and whether curl adds its "try --help" line. */
export interface CurlUsageError {
  error: string;
  code: number;
}

type Apply = (o: CurlOptions, value: string) => string | void;
interface Spec {
  arg: boolean;
  apply: Apply;
}

const flag = (apply: (o: CurlOptions) => unknown): Spec => ({
  arg: false,
  apply: (o) => {
    apply(o);
  },
});
const withArg = (apply: Apply): Spec => ({ arg: true, apply });
const ignored = flag(() => undefined);
const ignoredArg = withArg(() => undefined);
const unsupported = (what: string): Spec => ({ arg: false, apply: () => `option ${what}: is not supported by the sandbox's curl` });
const seconds = (set: (o: CurlOptions, ms: number) => void): Apply => (o, v) => {
  if (!/^\d+(\.\d*)?$|^\.\d+$/.test(v)) return 'expected a proper numerical parameter';
  set(o, Number(v) * 1000);
};
const data = (kind: CurlData['kind']): Spec => withArg((o, v) => void o.data.push({ kind, value: v }));

/** Long option name → behaviour. */
const LONG: Record<string, Spec> = {
  silent: flag((o) => (o.silent = true)),
  'show-error': flag((o) => (o.showError = true)),
  verbose: flag((o) => (o.verbose = true)),
  include: flag((o) => (o.include = true)),
  head: flag((o) => (o.head = true)),
  fail: flag((o) => (o.fail = true)),
  'fail-with-body': flag((o) => (o.failWithBody = true)),
  location: flag((o) => (o.location = true)),
  get: flag((o) => (o.get = true)),
  'no-progress-meter': flag((o) => (o.noProgress = true)),
  'remote-name': flag((o) => void o.outputs.push('\0remote')),
  output: withArg((o, v) => void o.outputs.push(v)),
  'write-out': withArg((o, v) => void (o.writeOut = v)),
  header: withArg((o, v) => void o.headers.push(v)),
  request: withArg((o, v) => void (o.method = v)),
  data: data('ascii'),
  'data-ascii': data('ascii'),
  'data-raw': data('raw'),
  'data-binary': data('binary'),
  'data-urlencode': data('urlencode'),
  json: data('json'),
  'max-time': withArg(seconds((o, ms) => (o.maxTimeMs = ms))),
  'connect-timeout': withArg(seconds((o, ms) => (o.connectTimeoutMs = ms))),
  'max-redirs': withArg((o, v) => (/^-?\d+$/.test(v) ? void (o.maxRedirs = Number(v)) : 'expected a proper numerical parameter')),
  'user-agent': withArg((o, v) => void (o.userAgent = v)),
  referer: withArg((o, v) => void (o.referer = v)),
  user: withArg((o, v) => void (o.user = v)),
  cookie: withArg((o, v) => void (o.cookie = v)),
  'oauth2-bearer': withArg((o, v) => void (o.bearer = v)),
  resolve: withArg((o, v) => void o.resolve.push(v)),
  'dump-header': withArg((o, v) => void (o.dumpHeader = v)),
  url: withArg((o, v) => void o.targets.push({ raw: v })),
  form: unsupported('-F'),
  'upload-file': unsupported('-T'),
  config: unsupported('-K'),
  proxy: unsupported('-x'),
  'unix-socket': unsupported('--unix-socket'),
  'connect-to': unsupported('--connect-to'),
  parallel: unsupported('-Z'),
};
for (const name of ['insecure', 'compressed', 'http1.0', 'http1.1', 'http2', 'http2-prior-knowledge', 'http3', 'no-buffer', 'ipv4', 'ipv6', 'progress-bar', 'no-keepalive', 'raw', 'path-as-is', 'fail-early', 'tcp-nodelay', 'disable', 'globoff', 'location-trusted', 'tlsv1.2', 'tlsv1.3', 'ssl-no-revoke', 'retry-connrefused', 'retry-all-errors']) LONG[name] = ignored;
for (const name of ['cacert', 'capath', 'cert', 'key', 'cert-type', 'key-type', 'tls-max', 'ciphers', 'retry', 'retry-delay', 'retry-max-time', 'keepalive-time', 'limit-rate', 'noproxy', 'expect100-timeout', 'interface', 'local-port', 'trace-ascii', 'stderr', 'pinnedpubkey']) LONG[name] = ignoredArg;

/** Short letter → long option name. */
const SHORT: Record<string, string> = {
  s: 'silent', S: 'show-error', v: 'verbose', i: 'include', I: 'head', f: 'fail', L: 'location', k: 'insecure', o: 'output', O: 'remote-name',
  w: 'write-out', H: 'header', X: 'request', d: 'data', m: 'max-time', A: 'user-agent', e: 'referer', u: 'user', b: 'cookie', G: 'get',
  '4': 'ipv4', '6': 'ipv6', N: 'no-buffer', D: 'dump-header', x: 'proxy', F: 'form', T: 'upload-file', Z: 'parallel', '#': 'progress-bar',
  q: 'disable', K: 'config', g: 'globoff', E: 'cert',
};

/** Parses curl's arguments (argv without argv[0]). */
export function parseCurlArgs(args: string[]): CurlOptions | CurlUsageError {
  const o: CurlOptions = { targets: [], silent: false, showError: false, verbose: false, include: false, head: false, fail: false, failWithBody: false, location: false, maxRedirs: 50, get: false, noProgress: false, headers: [], data: [], resolve: [], outputs: [] };
  const take = (name: string, shown: string, spec: Spec, value: string | undefined): CurlUsageError | undefined => {
    if (spec.arg && value === undefined) return { error: `option ${shown}: requires parameter`, code: 2 };
    const problem = spec.apply(o, value ?? '');
    if (typeof problem === 'string') return { error: problem.startsWith('option ') ? problem : `option ${shown}: ${problem}`, code: 2 };
    return undefined;
  };
  let endOfOptions = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (endOfOptions || !arg.startsWith('-') || arg === '-') {
      o.targets.push({ raw: arg });
      continue;
    }
    if (arg === '--') {
      endOfOptions = true;
      continue;
    }
    if (arg.startsWith('--')) {
      const name = arg.slice(2);
      const spec = LONG[name] ?? (name.startsWith('no-') && LONG[name.slice(3)] && !LONG[name.slice(3)].arg ? ignored : undefined);
      if (!spec) return { error: `option ${arg}: is unknown`, code: 2 };
      const err = take(name, arg, spec, spec.arg ? args[++i] : undefined);
      if (err) return err;
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j];
      const name = SHORT[letter];
      if (!name) return { error: `option -${arg.slice(j)}: is unknown`, code: 2 };
      const spec = LONG[name];
      if (!spec.arg) {
        const err = take(name, `-${letter}`, spec, undefined);
        if (err) return err;
        continue;
      }
      const value = j + 1 < arg.length ? arg.slice(j + 1) : args[++i];
      const err = take(name, `-${letter}`, spec, value);
      if (err) return err;
      break;
    }
  }
  o.outputs.forEach((out, index) => {
    const target = o.targets[index];
    if (!target) return;
    if (out === '\0remote') target.remoteName = true;
    else target.output = out;
  });
  return o;
}
