// Envoy's local replies (§13): status, body, headers, response flags and response-code details.
import type { MeshResponse } from '../types.js';

/** A response plus what Envoy's access log records about how it came to be. */
export interface Outcome {
  response: MeshResponse;
  flags: string[];
  details: string;
  /** UPSTREAM_TRANSPORT_FAILURE_REASON, when the upstream connection failed in TLS. */
  transportFailure?: string;
}

/** Why an upstream stream was reset (Envoy reset reasons, §4). */
export type ResetReason = 'overflow' | 'connection failure' | 'connection termination' | 'remote reset' | 'local reset';

/** Flag and details suffix per reset reason (§4, §13). */
const resetFlags: Record<ResetReason, { flag: string; detail: string }> = {
  overflow: { flag: 'UO', detail: 'overflow' },
  'connection failure': { flag: 'UF', detail: 'connection_failure' },
  'connection termination': { flag: 'UC', detail: 'connection_termination' },
  'remote reset': { flag: 'UR', detail: 'remote_reset' },
  'local reset': { flag: 'LR', detail: 'local_reset' },
};

/** Envoy's RESPONSE_FLAGS print order. */
const flagOrder = ['LH', 'UH', 'UT', 'LR', 'UR', 'UF', 'UC', 'UO', 'NR', 'DI', 'FI', 'RL', 'UAEX', 'RLSE', 'DC', 'URX', 'SI', 'IH', 'DPE', 'UMSDR', 'RFCF', 'NFCF', 'DT', 'UPE', 'NC', 'OM', 'DF', 'DO', 'DR'];

/** Render flags as Envoy's `%RESPONSE_FLAGS%` does (`-` when none). */
export function formatFlags(flags: string[]): string {
  if (!flags.length) return '-';
  if (flags.length === 1) return flags[0];
  const set = [...new Set(flags)].sort((a, b) => flagOrder.indexOf(a) - flagOrder.indexOf(b));
  return set.length ? set.join(',') : '-';
}

/** A local reply: `content-length`, and `content-type: text/plain` when there is a body. */
export function localResponse(status: number, body: string | Buffer = '', headers: Record<string, string> = {}): MeshResponse {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  return { status, headers: { ...(buf.length ? { 'content-type': 'text/plain' } : {}), 'content-length': String(buf.length), ...headers }, body: buf };
}

/** §13 catalogue entries that take no parameters. */
export const localReplies = {
  /** §1.6: no virtual host or route → 404, empty body, NR. */
  noRoute: (): Outcome => ({ response: localResponse(404), flags: ['NR'], details: 'route_not_found' }),
  /** §1.8: the route's cluster does not exist → 503, empty body, NC. */
  clusterNotFound: (): Outcome => ({ response: localResponse(503), flags: ['NC'], details: 'cluster_not_found' }),
  /** §1.8: no healthy endpoint → 503 `no healthy upstream`, UH. */
  noHealthyUpstream: (): Outcome => ({ response: localResponse(503, 'no healthy upstream'), flags: ['UH'], details: 'no_healthy_upstream' }),
  /** §4: route timeout → 504 `upstream request timeout`, UT. */
  routeTimeout: (): Outcome => ({ response: localResponse(504, 'upstream request timeout'), flags: ['UT'], details: 'response_timeout' }),
  /** §4: last per-try timeout → 504 `upstream request timeout`, UT. */
  perTryTimeout: (): Outcome => ({ response: localResponse(504, 'upstream request timeout'), flags: ['UT'], details: 'upstream_per_try_timeout' }),
  /** §9/§13: REGISTRY_ONLY block_all virtual host → direct 502, empty body. */
  registryOnly: (): Outcome => ({ response: localResponse(502), flags: [], details: 'direct_response' }),
};

/** §4/§5/§13: a reset before response headers → 503 `upstream connect error …` with the reason's flag (+ `x-envoy-overloaded` for overflow). */
export function upstreamResetReply(reason: ResetReason, retried: boolean, transportFailure?: string): Outcome {
  const body = `upstream connect error or disconnect/reset before headers. ${retried ? 'retried and the latest ' : ''}reset reason: ${reason}${transportFailure ? `, transport failure reason: ${transportFailure}` : ''}`;
  const { flag, detail } = resetFlags[reason];
  const headers: Record<string, string> = reason === 'overflow' ? { 'x-envoy-overloaded': 'true' } : {};
  return { response: localResponse(503, body, headers), flags: [flag], details: `upstream_reset_before_response_started{${detail}${transportFailure ? `|${transportFailure}` : ''}}`, ...(transportFailure ? { transportFailure } : {}) };
}
