// DestinationRule loadBalancer (§5): LEAST_REQUEST (default since 1.14; Envoy's power of two choices),
// ROUND_ROBIN (default before 1.14), RANDOM, and consistentHash on a ring (see hash-ring.ts).
import type { Random } from '../../runtime/determinism.js';
import type { Endpoint } from '../routing/index.js';
import { buildRing, hash32, lookupRing, type HashRing } from './hash-ring.js';

/** Per cluster load-balancer state on one proxy. */
export interface LbState {
  rrIndex?: number;
  ring?: { key: string; ring: HashRing };
}

/** Inputs of one host pick. */
export interface PickInput {
  hosts: Endpoint[];
  /** Active requests per host key (LEAST_REQUEST). */
  active: (key: string) => number;
  /** Hash of the consistent-hash key, when the policy has one and the request produced one. */
  hash?: number;
}

type Picker = (lb: any, state: LbState, input: PickInput, random: Random) => Endpoint;

const draw = (random: Random, n: number) => Math.min(n - 1, Math.floor(random() * n));

/** Picker per `loadBalancer.simple` value (§5). */
const simplePickers: Record<string, Picker> = {
  ROUND_ROBIN: (_lb, state, { hosts }, random) => {
    // Envoy starts each round-robin load balancer at a random offset.
    if (state.rrIndex === undefined) state.rrIndex = draw(random, hosts.length);
    return hosts[state.rrIndex++ % hosts.length];
  },
  RANDOM: (_lb, _state, { hosts }, random) => hosts[draw(random, hosts.length)],
  LEAST_REQUEST: (_lb, _state, { hosts, active }, random) => {
    // Power of two choices (choice_count 2, sampled with replacement), fewer active requests wins.
    let best = hosts[draw(random, hosts.length)];
    const other = hosts[draw(random, hosts.length)];
    if (active(other.key) < active(best.key)) best = other;
    return best;
  },
  PASSTHROUGH: (_lb, _state, { hosts }, random) => hosts[draw(random, hosts.length)],
};

/** The `simple` algorithm in force: explicit, else LEAST_REQUEST (≥ 1.14) or ROUND_ROBIN (older), §5/§14. */
export function simpleAlgorithm(lb: any, leastRequestDefault: boolean): string {
  const s = lb?.simple;
  if (s && simplePickers[s]) return s;
  if (s === 'LEAST_CONN') return 'LEAST_REQUEST';
  return leastRequestDefault ? 'LEAST_REQUEST' : 'ROUND_ROBIN';
}

/** Pick a host; consistentHash uses the ring when a hash is present, else a random host (Envoy's no-hash case). */
export function pickHost(lb: any, state: LbState, input: PickInput, random: Random, leastRequestDefault: boolean): Endpoint {
  const { hosts } = input;
  if (hosts.length === 1) return hosts[0];
  if (lb?.consistentHash) {
    if (input.hash === undefined) return hosts[draw(random, hosts.length)];
    const key = hosts.map((h) => h.key).join(',');
    const size = Number(lb.consistentHash.ringHash?.minimumRingSize ?? lb.consistentHash.minimumRingSize ?? 1024);
    if (state.ring?.key !== `${key}|${size}`) state.ring = { key: `${key}|${size}`, ring: buildRing(hosts.map((h) => h.key), size) };
    const owner = lookupRing(state.ring.ring, input.hash);
    return hosts.find((h) => h.key === owner) ?? hosts[0];
  }
  return simplePickers[simpleAlgorithm(lb, leastRequestDefault)](lb, state, input, random);
}

/** The consistent-hash key of a request (§5): header, cookie, source IP or query parameter; undefined when absent. */
export function hashKeyOf(ch: any, req: { headers: Record<string, string>; path: string }, sourceIp: string | undefined): string | undefined {
  if (!ch) return undefined;
  if (ch.httpHeaderName) return req.headers[String(ch.httpHeaderName).toLowerCase()];
  if (ch.httpCookie?.name) return readCookie(req.headers.cookie, ch.httpCookie.name);
  if (ch.useSourceIp) return sourceIp;
  if (ch.httpQueryParameterName) {
    const q = req.path.includes('?') ? new URLSearchParams(req.path.slice(req.path.indexOf('?') + 1)) : undefined;
    return q?.get(ch.httpQueryParameterName) ?? undefined;
  }
  return undefined;
}

/** Value of cookie `name` in a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=').replace(/^"(.*)"$/, '$1');
  }
  return undefined;
}

/** Hash a consistent-hash key. */
export function hashOf(key: string | undefined): number | undefined {
  return key === undefined ? undefined : hash32(key);
}
