// docker.io/redis (samples/ratelimit/rate-limit-service.yaml, §10): redis-server on 6379 with its keyspace
// in memory (see redis-store.ts), and `redis-cli` in the container. RESP arrives over the sandbox's
// HTTP-only pod network as described in redis-resp.ts; a plain HTTP request (someone curling redis) is
// answered the way redis answers it: a "Possible SECURITY ATTACK" log line and a closed connection.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './http-kit.js';
import { parseImageRef } from './image-ref.js';
import type { ContainerContext, ContainerWorkload, WorkloadModel } from './model.js';
import { encodeReply, parseResp, redisPipeline, RespError, RespSimple, respContentType, type RespValue } from './redis-resp.js';
import { RedisStore } from './redis-store.js';
import { writeText, type ExecTool } from './tools/tool.js';

const PORT = 6379;
/** The version printed for tags that do not name one (`alpine`, `latest`). */
const defaultVersion = '7.4.2';
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** redis's log prefix: `1:M 01 Jan 2026 00:00:00.000 *` (role C at startup, M once running; `#` = warning). */
function logLine(role: 'C' | 'M', level: '*' | '#', now: Date, text: string): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const ts = `${p(now.getUTCDate())} ${months[now.getUTCMonth()]} ${now.getUTCFullYear()} ${p(now.getUTCHours())}:${p(now.getUTCMinutes())}:${p(now.getUTCSeconds())}.${p(now.getUTCMilliseconds(), 3)}`;
  return `1:${role} ${ts} ${level} ${text}`;
}

/** redis-cli's raw output (stdout is not a terminal under `kubectl exec` without -t). */
function formatRaw(v: RespValue): string {
  if (v instanceof RespError) return `${v.message}\n`;
  if (v instanceof RespSimple) return `${v.text}\n`;
  if (Array.isArray(v)) return v.map(formatRaw).join('');
  return `${v ?? ''}\n`;
}

/** `redis-cli [-h host] [-p port] [-n db] command [arg…]`; the local server unless -h names another. */
function redisCli(store: RedisStore): ExecTool {
  return async (argv, streams, tctx) => {
    let host = '127.0.0.1';
    let port = String(PORT);
    const args = argv.slice(1);
    while (args[0]?.startsWith('-')) {
      const flag = args.shift()!;
      const value = args.shift() ?? '';
      if (flag === '-h') host = value;
      else if (flag === '-p') port = value;
      else if (flag !== '-n') {
        await writeText(streams.stderr, `Unrecognized option or bad number of args for: '${flag}'\n`);
        return 1;
      }
    }
    if (!args.length) {
      await writeText(streams.stderr, 'istio-lab sandbox: interactive redis-cli is not emulated; pass a command, e.g. redis-cli KEYS "*"\n');
      return 1;
    }
    let reply: RespValue;
    if (['127.0.0.1', 'localhost'].includes(host) && port === String(PORT)) reply = store.execute(args);
    else {
      try {
        [reply] = await redisPipeline(tctx.network, tctx.pod, `${host}:${port}`, [args]);
      } catch (err) {
        await writeText(streams.stderr, `Could not connect to Redis at ${host}:${port}: ${(err as Error).message}\n`);
        return 1;
      }
    }
    await writeText(streams.stdout, formatRaw(reply));
    return 0;
  };
}

/** docker.io/redis. */
export const redisModel: WorkloadModel = {
  name: 'redis',
  create(ctx: ContainerContext): ContainerWorkload {
    const store = new RedisStore(ctx.clock);
    const tag = parseImageRef(ctx.container.image).tag ?? '';
    const version = /^\d+\.\d+\.\d+/.exec(tag)?.[0] ?? defaultVersion;
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      void readBody(req).then((body) => {
        if (req.method !== 'POST' || !String(req.headers['content-type'] ?? '').startsWith(respContentType)) {
          ctx.log(logLine('M', '#', ctx.clock.now(), 'Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Redis. This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your Redis instance. Connection aborted.'));
          res.socket?.destroy();
          return;
        }
        let replies: string;
        try {
          replies = parseResp(body.toString('utf8')).map((cmd) => encodeReply(Array.isArray(cmd) ? store.execute(cmd.map(String)) : new RespError('ERR Protocol error: expected an array'))).join('');
        } catch (err) {
          replies = encodeReply(new RespError(`ERR ${(err as Error).message}`));
        }
        res.writeHead(200, { 'Content-Type': respContentType, 'Content-Length': String(Buffer.byteLength(replies)) });
        res.end(replies);
      });
    };
    return {
      start() {
        const now = ctx.clock.now();
        ctx.log(logLine('C', '*', now, 'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo'));
        ctx.log(logLine('C', '*', now, `Redis version=${version}, bits=64, commit=00000000, modified=0, pid=1, just started`));
        ctx.log(logLine('C', '#', now, 'Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf'));
        ctx.log(logLine('M', '*', now, `Running mode=standalone, port=${PORT}.`));
        ctx.log(logLine('M', '*', now, 'Server initialized'));
        ctx.log(logLine('M', '*', now, 'Ready to accept connections tcp'));
      },
      httpHandler: (p) => (p === PORT ? handler : undefined),
      commands: { 'redis-cli': redisCli(store) },
    };
  },
};
