// docker.io/envoyproxy/ratelimit (samples/ratelimit/rate-limit-service.yaml, §10): the gRPC
// RateLimitService on GRPC_PORT (8081, framed as ratelimit-api.ts describes), `/json` and `/healthcheck`
// on PORT (8080), `/rlconfig` and `/stats` on DEBUG_PORT (6070). Config comes from the files mounted under
// the runtime directory (the sample's `ratelimit-config` ConfigMap volume) and is reloaded when they
// change; counters live in redis at REDIS_URL, reached over the pod network at every request, so a redis
// that is gone or not ready makes every call fail (the gateway then answers 500 under failure_mode_deny).
// Not modelled: the memcache backend, the local cache, near-limit stats and statsd; a real service that
// cannot reach redis at startup crash-loops, the model starts and fails each call instead.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeGrpcFrame, encodeGrpcFrame, grpcJsonContentType, grpcStatus, shouldRateLimitPath, type RateLimitRequest } from '../mesh/proxy/ratelimit-api.js';
import { readBody, send } from './http-kit.js';
import type { ContainerContext, ContainerWorkload, WorkloadModel } from './model.js';
import { dumpRateLimitConfig } from './ratelimit-config.js';
import { ConfigProvider, configFiles, logrusLine, readSettings, type RateLimitSettings } from './ratelimit-runtime.js';
import { RateLimitServiceError, shouldRateLimit, type CounterBackend } from './ratelimit-service.js';
import { redisPipeline, RespError } from './redis-resp.js';
import { createVolumeReader } from './volume-files.js';

const levels = ['panic', 'fatal', 'error', 'warning', 'info', 'debug', 'trace'];

/** The redis fixed-window cache's pipeline: INCRBY then EXPIRE per key. */
function redisBackend(ctx: ContainerContext, settings: RateLimitSettings): CounterBackend {
  return {
    async incrementAll(items) {
      if (!settings.redis) throw new Error(`dial unix ${settings.redisUrl}: connect: no such file or directory`);
      const replies = await redisPipeline(ctx.network, ctx.pod, settings.redis, items.flatMap((i) => [['INCRBY', i.key, String(i.by)], ['EXPIRE', i.key, String(i.ttlSeconds)]]));
      const err = replies.find((r) => r instanceof RespError);
      if (err) throw new Error((err as RespError).message);
      return items.map((_, n) => Number(replies[2 * n]));
    },
  };
}

/** envoyproxy/ratelimit. */
export const ratelimitModel: WorkloadModel = {
  name: 'ratelimit',
  create(ctx: ContainerContext): ContainerWorkload {
    const settings = readSettings(ctx.env);
    const log = (level: string, msg: string) => {
      if (levels.indexOf(level) <= settings.logLevel) ctx.log(logrusLine(ctx.clock.now(), level, msg));
    };
    const volumes = createVolumeReader(ctx);
    const provider = new ConfigProvider(() => configFiles(settings, volumes()), log);
    const backend = redisBackend(ctx, settings);
    const errors = { redis: 0, service: 0 };
    /** ShouldRateLimit, as the gRPC and JSON front ends call it. */
    const decide = async (req: RateLimitRequest) => {
      for (const d of req.descriptors ?? []) log('debug', `got descriptor: ${(d.entries ?? []).map((e) => `(${e.key}=${e.value ?? ''})`).join(',')}`);
      try {
        return await shouldRateLimit(req, provider.current(), backend, Math.floor(ctx.clock.now().getTime() / 1000), settings.cacheKeyPrefix);
      } catch (err) {
        if (!(err instanceof RateLimitServiceError)) throw err;
        errors[err.kind]++;
        log('debug', `caught error during call: ${err.message}`);
        return err;
      }
    };
    const grpc = (req: IncomingMessage, res: ServerResponse) =>
      void readBody(req).then(async (body) => {
        const headers = { 'Content-Type': grpcJsonContentType };
        const fail = (code: number, message: string) => send(res, 200, { ...headers, 'grpc-status': String(code), 'grpc-message': encodeURIComponent(message) });
        if (!String(req.headers['content-type'] ?? '').startsWith('application/grpc')) return send(res, 415, { 'Content-Type': 'text/plain' }, `invalid gRPC request content-type "${req.headers['content-type'] ?? ''}"`);
        if (req.url !== shouldRateLimitPath) return fail(grpcStatus.unimplemented, `unknown service ${String(req.url).split('/')[1] ?? ''}`);
        const message = decodeGrpcFrame<RateLimitRequest>(body);
        if (!message) return fail(grpcStatus.invalidArgument, 'grpc: error unmarshalling request');
        const out = await decide(message);
        if (out instanceof Error) return fail(grpcStatus.unknown, out.message);
        send(res, 200, { ...headers, 'grpc-status': '0' }, encodeGrpcFrame(out));
      });
    const http = (req: IncomingMessage, res: ServerResponse) =>
      void readBody(req).then(async (body) => {
        const path = (req.url ?? '/').split('?')[0];
        if (path === '/healthcheck') return send(res, 200, { 'Content-Type': 'text/plain; charset=utf-8' }, 'OK');
        if (path !== '/json') return send(res, 404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }, '404 page not found\n');
        let parsed: RateLimitRequest | undefined;
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch {
          parsed = undefined;
        }
        const out = parsed && typeof parsed === 'object' ? await decide(parsed) : new Error('bad request');
        if (out instanceof Error) return send(res, 400, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }, 'Bad Request\n');
        send(res, out.overallCode === 'OVER_LIMIT' ? 429 : 200, { 'Content-Type': 'application/json' }, JSON.stringify(out));
      });
    const debug = (req: IncomingMessage, res: ServerResponse) => {
      const path = (req.url ?? '/').split('?')[0];
      const text = (t: string) => send(res, 200, { 'Content-Type': 'text/plain; charset=utf-8' }, t);
      if (path === '/rlconfig') return text(dumpRateLimitConfig(provider.current() ?? { domains: new Map() }));
      if (path === '/stats') {
        provider.current();
        return text(`ratelimit.service.config_load_error: ${provider.loads.error}\nratelimit.service.config_load_success: ${provider.loads.success}\nratelimit.service.call.should_rate_limit.redis_error: ${errors.redis}\nratelimit.service.call.should_rate_limit.service_error: ${errors.service}\n`);
      }
      text('/rlconfig: print out the currently loaded configuration for debugging\n/stats: print out stats\n');
    };
    return {
      start() {
        if (settings.backendType !== 'redis') ctx.cluster?.warn('NotModelled', `envoyproxy/ratelimit BACKEND_TYPE=${settings.backendType} is not modelled by the sandbox; the redis backend at REDIS_URL is used instead`);
        provider.current();
        log('warning', `Listening for debug on ':${settings.debugPort}'`);
        log('warning', `Listening for gRPC on ':${settings.grpcPort}'`);
        log('warning', `Listening for HTTP on ':${settings.httpPort}'`);
      },
      httpHandler: (p) => (p === settings.grpcPort ? grpc : p === settings.httpPort ? http : p === settings.debugPort ? debug : undefined),
      files: volumes(),
    };
  },
};
