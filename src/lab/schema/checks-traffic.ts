// Checks that send real requests: http (one request), traffic (a split across buckets),
// latency (delays) and load (concurrent load, e.g. fortio for circuit breaking).
import { z } from 'zod';
import { Duration, Percent, PercentRange, Percentiles, Regex, acceptOneOrMany, buildPatternString, requireExactlyOne } from './common.js';
import { checkBaseFields, requestFields } from './request.js';
import { sessionField } from './session.js';

const HttpStatus = z.int().min(100).max(599);
const HeaderName = buildPatternString(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be an HTTP header name');

/** Expected value of a response header: exact text, or {equals | contains | matches | present}. */
export const HeaderExpect = z.union([
  z.string(),
  z
    .strictObject({ equals: z.string().optional(), contains: z.string().optional(), matches: Regex.optional(), present: z.boolean().optional() })
    .refine((h) => Object.values(h).some((v) => v !== undefined), { error: 'give one of equals, contains, matches, present' }),
]);

/** Why a request got no HTTP response, as curl's exit codes and Node's errors tell it (§8, §9). */
export const TransportReason = z
  .enum(['any', 'refused', 'reset', 'tls', 'dns', 'timeout'])
  .meta({ description: 'refused (curl 7, ECONNREFUSED), reset (curl 56 or 52, ECONNRESET), tls (curl 35), dns (curl 6), timeout (curl 28), any.' });

/** An expected transport error: a reason, or {reason?, curlExitCode?} (curlExitCode only when sending from a pod). */
export const TransportErrorExpect = z
  .union([TransportReason, z.strictObject({ reason: TransportReason.optional(), curlExitCode: z.int().min(1).max(255).optional() })])
  .transform((t) => (typeof t === 'string' ? { reason: t } : { reason: t.reason ?? 'any', ...(t.curlExitCode !== undefined ? { curlExitCode: t.curlExitCode } : {}) }))
  .meta({ id: 'TransportErrorExpect', description: 'The request must get no HTTP response: e.g. "reset" (a plaintext client against STRICT mTLS, curl 56), "tls" (https under REGISTRY_ONLY, curl 35), {curlExitCode: 56}.' });

/** Response expectations that cannot hold when a transport error is expected. */
const RESPONSE_FIELDS = ['status', 'headers', 'bodyContains', 'bodyNotContains', 'bodyRegex', 'jsonPath'] as const;

/** What one HTTP response must look like (status defaults to 200), or that none comes (`transportError`). */
export const HttpExpect = z
  .strictObject({
    status: acceptOneOrMany(HttpStatus).optional().meta({ description: 'Expected status, or a list of them (default 200).' }),
    transportError: TransportErrorExpect.optional(),
    headers: z.record(HeaderName, HeaderExpect).optional(),
    bodyContains: acceptOneOrMany(z.string().min(1)).optional(),
    bodyNotContains: acceptOneOrMany(z.string().min(1)).optional(),
    bodyRegex: Regex.optional(),
    jsonPath: z
      .strictObject({ path: z.string().min(1), equals: z.unknown() })
      .optional()
      .meta({ description: 'A JSON path such as "$.headers.Host"; equals omitted means the path must exist.' }),
    latency: z
      .strictObject({ minMs: z.number().min(0).optional(), maxMs: z.number().min(0).optional() })
      .superRefine((l, ctx) => {
        if (l.minMs === undefined && l.maxMs === undefined) ctx.addIssue({ code: 'custom', message: 'give minMs, maxMs or both' });
        else if (l.minMs !== undefined && l.maxMs !== undefined && l.minMs > l.maxMs) {
          ctx.addIssue({ code: 'custom', message: `minMs (${l.minMs}) is greater than maxMs (${l.maxMs})` });
        }
      })
      .optional(),
  })
  .superRefine((e, ctx) => {
    const given = RESPONSE_FIELDS.filter((f) => e[f] !== undefined);
    if (e.transportError && given.length) {
      ctx.addIssue({ code: 'custom', message: `transportError means no HTTP response, so ${given.join(', ')} cannot hold; remove ${given.length === 1 ? 'it' : 'them'} (latency bounds may stay)` });
    }
  })
  .prefault({})
  .meta({ id: 'HttpExpect' });

/** Sends one request and checks the response. */
export const HttpCheck = z
  .strictObject({
    kind: z.literal('http'),
    ...checkBaseFields,
    ...requestFields,
    scheme: z.enum(['http', 'https']).default('http').meta({ description: 'URL scheme of a request from a pod (curl https://host/path); from the ingress requests are plain HTTP.' }),
    ...sessionField,
    expect: HttpExpect,
  })
  .superRefine((c, ctx) => {
    if (c.from === 'ingress' && c.scheme === 'https') {
      ctx.addIssue({ code: 'custom', path: ['scheme'], message: 'https needs a request from a pod (curl runs there, e.g. from: {deployment: curl}); from the ingress istio-lab sends plain HTTP to the gateway\'s HTTP port' });
    }
    if (c.from === 'ingress' && c.expect.transportError?.curlExitCode !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['expect', 'transportError', 'curlExitCode'],
        message: 'curlExitCode needs a request from a pod (curl runs there); from the ingress istio-lab sends with its own client, so give a reason instead (refused, reset, timeout)',
      });
    }
  })
  .meta({ id: 'HttpCheck' });

const Buckets = z
  .record(z.string().min(1), Regex)
  .optional()
  .meta({ description: 'Bucket name → regular expression over the classified value; first match wins, else "other".' });

/** How each response is put into a bucket: by header, body regex, JSON path or status. */
export const Classify = z.discriminatedUnion('by', [
  z.strictObject({ by: z.literal('header'), header: HeaderName, buckets: Buckets }),
  z
    .strictObject({ by: z.literal('bodyRegex'), pattern: Regex.optional(), buckets: Buckets })
    .refine((c) => c.pattern !== undefined || c.buckets !== undefined, {
      error: 'give "pattern" (capture group 1 names the bucket), "buckets", or both',
    }),
  z.strictObject({ by: z.literal('jsonPath'), path: z.string().min(1), buckets: Buckets }),
  z.strictObject({ by: z.literal('status'), buckets: Buckets }),
]).meta({ id: 'Classify' });

function formatSum(sum: number): string {
  return String(Math.round(sum * 100) / 100);
}

/** Sums the weights, or undefined when one is not a percentage (that weight's own error says so). */
function sumWeights(weights: Record<string, unknown>): number | undefined {
  const values = Object.values(weights);
  return values.every((w) => typeof w === 'number' && w >= 0 && w <= 100) ? (values as number[]).reduce((a, b) => a + b, 0) : undefined;
}

const Weights = z.record(z.string().min(1), Percent);

/** Exact split of responses across buckets, in percent; must sum to 100. */
export const Split = Weights.superRefine((weights, ctx) => {
  const sum = sumWeights(weights);
  if (Object.keys(weights).length === 0) ctx.addIssue({ code: 'custom', message: 'name at least one bucket' });
  else if (sum !== undefined && Math.abs(sum - 100) > 1e-9) ctx.addIssue({ code: 'custom', message: `weights must sum to 100 (got ${formatSum(sum)})` });
});

/** Share of some buckets, in percent (the rest is unconstrained); must not exceed 100 in total. */
export const Mix = Weights.superRefine((weights, ctx) => {
  const sum = sumWeights(weights);
  if (Object.keys(weights).length === 0) ctx.addIssue({ code: 'custom', message: 'name at least one bucket' });
  else if (sum !== undefined && sum > 100 + 1e-9) ctx.addIssue({ code: 'custom', message: `percentages must not add up to more than 100 (got ${formatSum(sum)})` });
});

/** Sends many requests, classifies responses and tests the split statistically. */
export const TrafficCheck = z
  .strictObject({
    kind: z.literal('traffic'),
    ...checkBaseFields,
    ...requestFields,
    ...sessionField,
    classify: Classify,
    expect: z.strictObject({ split: Split.optional(), mix: Mix.optional() }).superRefine((e, ctx) => requireExactlyOne(e, ['split', 'mix'], ctx)),
    tolerance: Percent.default(5).meta({ description: 'Allowed deviation, in percentage points.' }),
    falseFailureRate: z.number().gt(0).lt(0.5).default(0.001).meta({ description: 'Accepted chance of failing a correct setup.' }),
    maxRequests: z.int().min(10).max(100_000).default(1000),
  })
  .superRefine((check, ctx) => {
    const known = check.classify.buckets ? [...Object.keys(check.classify.buckets), 'other'] : undefined;
    const expected = check.expect.split ?? check.expect.mix ?? {};
    const field = check.expect.split ? 'split' : 'mix';
    for (const bucket of Object.keys(expected)) {
      if (known && !known.includes(bucket)) {
        ctx.addIssue({
          code: 'custom',
          path: ['expect', field, bucket],
          message: `bucket "${bucket}" is not one the classifier produces (${known.join(', ')})`,
        });
      }
    }
  })
  .meta({ id: 'TrafficCheck' });

/** Sends requests and checks how long they take (fault delays, timeouts). */
export const LatencyCheck = z.strictObject({
  kind: z.literal('latency'),
  ...checkBaseFields,
  ...requestFields,
  ...sessionField,
  requests: z.int().min(1).max(10_000).default(20),
  tolerance: Percent.default(10).meta({ description: 'Allowed deviation from `proportion`, in percentage points.' }),
  expect: z
    .strictObject({
      slowerThan: Duration.optional(),
      fasterThan: Duration.optional(),
      proportion: Percent.default(100).meta({ description: 'Percent of requests that must be slower/faster than the bound.' }),
      percentiles: Percentiles.optional(),
    })
    .superRefine((e, ctx) => {
      if (e.slowerThan === undefined && e.fasterThan === undefined && e.percentiles === undefined) {
        ctx.addIssue({ code: 'custom', message: 'give slowerThan, fasterThan or percentiles' });
      }
    }),
}).meta({ id: 'LatencyCheck' });

const StatusKey = buildPatternString(/^([1-5][0-9][0-9]|[1-5]xx)$/, 'must be a status code like "503" or a class like "5xx"');

const HeaderShare = z
  .strictObject({ min: Percent.optional(), max: Percent.optional(), equals: z.string().optional() })
  .superRefine((h, ctx) => {
    if (h.min === undefined && h.max === undefined) ctx.addIssue({ code: 'custom', message: 'give min, max or both (percent of responses)' });
    else if (h.min !== undefined && h.max !== undefined && h.min > h.max) {
      ctx.addIssue({ code: 'custom', message: `min (${h.min}) is greater than max (${h.max})` });
    }
  });

/** Generates concurrent load and checks the status mix, headers and latency percentiles. */
export const LoadCheck = z
  .strictObject({
    kind: z.literal('load'),
    ...checkBaseFields,
    ...requestFields,
    concurrency: z.int().min(1).max(1000).default(1),
    qps: z.number().min(0).default(0).meta({ description: 'Requests per second in total; 0 means as fast as possible.' }),
    requests: z.int().min(1).max(100_000).optional(),
    duration: Duration.optional(),
    expect: z
      .strictObject({
        status: z.record(StatusKey, PercentRange).optional().meta({ description: 'Status code (or class like "5xx") → percent range.' }),
        headers: z.record(HeaderName, HeaderShare).optional().meta({ description: 'Header → percent of responses carrying it.' }),
        latency: Percentiles.optional(),
      })
      .refine((e) => Object.values(e).some((v) => v !== undefined), { error: 'give at least one of status, headers, latency' }),
  })
  .superRefine((l, ctx) => requireExactlyOne(l, ['requests', 'duration'], ctx))
  .meta({ id: 'LoadCheck' });
