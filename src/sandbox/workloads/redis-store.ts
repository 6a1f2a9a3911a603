// The keyspace of one redis server and the commands the sandbox's clients use (envoyproxy/ratelimit's
// INCRBY + EXPIRE pipeline; PING, GET, SET, KEYS, TTL, DEL … for `redis-cli`). Expiry follows the injected
// clock and is applied lazily, as redis does on access. Data lives in memory only, so a restarted redis
// pod starts empty, as the sample's redis (no persistence volume) does.
import type { Clock } from '../runtime/determinism.js';
import { RespError, RespSimple, type RespValue } from './redis-resp.js';

interface Entry {
  value: string;
  /** Expiry time in ms since the epoch. */
  expiresAt?: number;
}

const arity: Record<string, [number, number]> = {
  ping: [0, 1], echo: [1, 1], get: [1, 1], set: [2, 4], incr: [1, 1], incrby: [2, 2], expire: [2, 2], ttl: [1, 1], pttl: [1, 1],
  del: [1, Infinity], exists: [1, Infinity], keys: [1, 1], dbsize: [0, 0], flushall: [0, 1], flushdb: [0, 1], select: [1, 1],
};

const escapeRe = (c: string) => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** Redis's glob matching for KEYS: `*`, `?`, `[abc]` / `[^a]`, and `\x` for a literal x. */
function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    const close = c === '[' ? glob.indexOf(']', i + 1) : -1;
    if (c === '\\' && i + 1 < glob.length) re += escapeRe(glob[++i]);
    else if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (close > i) {
      const body = glob.slice(i + 1, close);
      const negate = body.startsWith('^');
      re += `[${negate ? '^' : ''}${[...(negate ? body.slice(1) : body)].map((x) => (x === '-' ? '-' : escapeRe(x))).join('')}]`;
      i = close;
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`, 's');
}

const notInteger = new RespError('ERR value is not an integer or out of range');

/** One redis server's data. */
export class RedisStore {
  private readonly data = new Map<string, Entry>();

  constructor(private readonly clock: Clock) {}

  /** Run one command (argv[0] is the command name, any case) and return its reply. */
  execute(argv: string[]): RespValue {
    const name = (argv[0] ?? '').toLowerCase();
    const args = argv.slice(1);
    const range = arity[name];
    if (!range) return new RespError(`ERR unknown command '${argv[0] ?? ''}', with args beginning with: ${args.map((a) => `'${a}' `).join('')}`);
    if (args.length < range[0] || args.length > range[1]) return new RespError(`ERR wrong number of arguments for '${name}' command`);
    const now = this.clock.now().getTime();
    const live = (k: string) => {
      const e = this.data.get(k);
      if (e?.expiresAt !== undefined && e.expiresAt <= now) this.data.delete(k);
      return this.data.get(k);
    };
    switch (name) {
      case 'ping':
        return args.length ? args[0] : new RespSimple('PONG');
      case 'echo':
        return args[0];
      case 'get':
        return live(args[0])?.value ?? null;
      case 'set': {
        const ex = args[2]?.toUpperCase() === 'EX' ? Number(args[3]) : undefined;
        if (args.length > 2 && !(ex !== undefined && Number.isInteger(ex) && ex > 0)) return new RespError('ERR syntax error');
        this.data.set(args[0], { value: args[1], ...(ex ? { expiresAt: now + ex * 1000 } : {}) });
        return new RespSimple('OK');
      }
      case 'incr':
      case 'incrby': {
        const by = name === 'incr' ? 1 : Number(args[1]);
        const e = live(args[0]);
        const current = e ? Number(e.value) : 0;
        if (!Number.isInteger(by) || !Number.isInteger(current)) return notInteger;
        this.data.set(args[0], { value: String(current + by), ...(e?.expiresAt !== undefined ? { expiresAt: e.expiresAt } : {}) });
        return current + by;
      }
      case 'expire': {
        const e = live(args[0]);
        const s = Number(args[1]);
        if (!Number.isInteger(s)) return notInteger;
        if (!e) return 0;
        e.expiresAt = now + s * 1000;
        return 1;
      }
      case 'ttl':
      case 'pttl': {
        const e = live(args[0]);
        if (!e) return -2;
        if (e.expiresAt === undefined) return -1;
        const ms = e.expiresAt - now;
        return name === 'ttl' ? Math.round(ms / 1000) : ms;
      }
      case 'del':
      case 'exists':
        return args.filter((k) => live(k) && (name === 'exists' || this.data.delete(k))).length;
      case 'keys': {
        const re = globToRegExp(args[0]);
        return [...this.data.keys()].filter((k) => live(k) && re.test(k));
      }
      case 'dbsize':
        return [...this.data.keys()].filter((k) => live(k)).length;
      case 'flushall':
      case 'flushdb':
        this.data.clear();
        return new RespSimple('OK');
      default:
        return args[0] === '0' ? new RespSimple('OK') : new RespError('ERR DB index is out of range');
    }
  }
}
