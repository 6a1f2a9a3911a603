// Envoy's rate limit service API (envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit, §10) as the
// sandbox carries it. The pod network speaks HTTP/1.1 only, so a call is one POST to the gRPC path with a
// gRPC length-prefixed frame holding the message in proto3 JSON (content-type `application/grpc+json`, a
// real gRPC content subtype) and `grpc-status` in the response headers (a trailers-only shape). Both ends
// — the proxy's ratelimit filter and the envoyproxy/ratelimit model — use this file, so they agree.

/** The gRPC method path. */
export const shouldRateLimitPath = '/envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit';
/** Content type of calls and replies. */
export const grpcJsonContentType = 'application/grpc+json';

/** One descriptor: ordered key/value entries (`[{key: PATH, value: /get}]`). */
export interface RateLimitDescriptor {
  entries: { key: string; value: string }[];
}

/** RateLimitRequest. */
export interface RateLimitRequest {
  domain: string;
  descriptors: RateLimitDescriptor[];
  hitsAddend?: number;
}

/** Units a limit can be expressed in (RateLimitResponse.RateLimit.Unit). */
export type RateLimitUnit = 'SECOND' | 'MINUTE' | 'HOUR' | 'DAY' | 'WEEK' | 'MONTH' | 'YEAR';

/** Seconds per unit, as envoyproxy/ratelimit's `UnitToDivider` and Envoy's x-ratelimit headers use them. */
export const unitSeconds: Record<RateLimitUnit, number> = { SECOND: 1, MINUTE: 60, HOUR: 3600, DAY: 86_400, WEEK: 604_800, MONTH: 2_592_000, YEAR: 31_536_000 };

/** DescriptorStatus. */
export interface DescriptorStatus {
  code: 'OK' | 'OVER_LIMIT';
  currentLimit?: { requestsPerUnit: number; unit: RateLimitUnit; name?: string };
  limitRemaining?: number;
  /** Protobuf JSON duration, e.g. `37s`. */
  durationUntilReset?: string;
}

/** RateLimitResponse. */
export interface RateLimitResponse {
  overallCode: 'OK' | 'OVER_LIMIT' | 'UNKNOWN';
  statuses: DescriptorStatus[];
}

/** A message in a gRPC frame: 1 byte compressed flag (0), 4 bytes big-endian length, the message. */
export function encodeGrpcFrame(message: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(message));
  const head = Buffer.alloc(5);
  head.writeUInt32BE(json.length, 1);
  return Buffer.concat([head, json]);
}

/** The message of a gRPC frame, or undefined when the bytes are not one. */
export function decodeGrpcFrame<T>(body: Buffer): T | undefined {
  if (body.length < 5 || body[0] !== 0 || body.readUInt32BE(1) !== body.length - 5) return undefined;
  try {
    return JSON.parse(body.subarray(5).toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

/** gRPC status codes the two ends use. */
export const grpcStatus = { ok: 0, unknown: 2, invalidArgument: 3, unimplemented: 12, unavailable: 14 } as const;
