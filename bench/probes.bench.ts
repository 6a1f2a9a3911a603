// Issue "Probes" benchmarks, measured in one run:
// - requests the traffic verdict needs to decide a correct 75/25 split (median) vs the fixed
//   sample size of the exact binomial test with the same error rates (α = 0.001, power 99 %
//   at ±10 points)                                                                 target <= 0.5x
// - the same for a 50/50 status mix                                                target <= 0.5x
// Each is measured twice: seeded simulation (10 000 runs) and the real traffic probe against a local
// HTTP server standing in for the ingress (21 runs).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Cluster } from '../src/cluster/types.js';
import { CheckSchema, type TrafficCheck } from '../src/lab/index.js';
import { trafficProbe } from '../src/probes/traffic.js';
import type { StepContext } from '../src/runner/context.js';
import { createRandom, fixedSampleSize, simulateMany, type ProportionTestOptions } from '../src/stats/index.js';
import { median, report } from './lib.js';

const ALPHA = 0.001;
const BETA = 0.01;
const DELTA = 0.1;

/** A cluster that only knows a LoadBalancer gateway Service at 127.0.0.1:port. */
function gatewayCluster(port: number): Cluster {
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'istio-ingressgateway', namespace: 'istio-system' },
    spec: { type: 'LoadBalancer', selector: { istio: 'ingressgateway' }, ports: [{ name: 'http2', port, targetPort: 8080 }] },
    status: { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } },
  };
  const target = { context: 'bench', server: '', sandbox: false, disposable: true, namespace: 'default' };
  return { target, get: async (ref: { name: string }) => (ref.name === service.metadata.name ? service : undefined), list: async () => ({ items: [], resourceVersion: '1' }) } as unknown as Cluster;
}

/** Requests the real traffic probe used, over `runs` runs against a server answering with `respond`. */
async function measureProbe(check: TrafficCheck, respond: (random: () => number) => { status: number; version?: string }, runs: number): Promise<number[]> {
  const random = createRandom(11);
  const server = createServer((_req, res) => {
    const r = respond(random);
    res.statusCode = r.status;
    if (r.version) res.setHeader('x-version', r.version);
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const cluster = gatewayCluster((server.address() as AddressInfo).port);
  const used: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const ctx = { cluster, loaded: { lab: { namespace: 'default' } }, signal: new AbortController().signal, startedAt: new Date() } as unknown as StepContext;
      const result = await trafficProbe(check, ctx);
      used.push(Number(/after (\d+) request/.exec(result.message)?.[1] ?? NaN));
    }
  } finally {
    server.closeAllConnections();
    server.close();
  }
  return used;
}

function line(name: string, options: ProportionTestOptions, truth: Record<string, number>, deviated: Record<string, number>, p0: number, probeUsed: number[]): void {
  const sim = simulateMany(options, truth, 10_000, createRandom(42));
  const power = simulateMany(options, deviated, 10_000, createRandom(43));
  const fixed = fixedSampleSize(p0, DELTA, ALPHA, BETA);
  const probeMedian = median(probeUsed);
  const detail = `seq median ${sim.medianRequests} (probe ${probeMedian}) vs fixed ${fixed}`;
  report(name, detail, sim.medianRequests / fixed, '<= 0.5', sim.medianRequests / fixed <= 0.5 && probeMedian / fixed <= 0.5);
  console.log(`${''.padEnd(44)} false failures ${(sim.failureRate * 100).toFixed(2)} % (α ${ALPHA * 100} %), detection at ±10 pts ${(power.failureRate * 100).toFixed(2)} %, capped ${(sim.cappedRate * 100).toFixed(2)} %`);
}

async function main(): Promise<void> {
  const base = { delta: DELTA, alpha: ALPHA, maxRequests: 1000 };
  const splitCheck = CheckSchema.parse({ kind: 'traffic', classify: { by: 'header', header: 'x-version' }, expect: { split: { v1: 75, v2: 25 } } }) as TrafficCheck;
  const splitUsed = await measureProbe(splitCheck, (random) => ({ status: 200, version: random() < 0.25 ? 'v2' : 'v1' }), 21);
  line('traffic: correct 75/25 split', { ...base, expected: { v1: 0.75, v2: 0.25 }, exhaustive: true }, { v1: 0.75, v2: 0.25 }, { v1: 0.65, v2: 0.35 }, 0.25, splitUsed);
  const mixCheck = CheckSchema.parse({ kind: 'traffic', classify: { by: 'status' }, expect: { mix: { '500': 50 } } }) as TrafficCheck;
  const mixUsed = await measureProbe(mixCheck, (random) => ({ status: random() < 0.5 ? 500 : 200 }), 21);
  line('traffic: 50/50 status mix', { ...base, expected: { '500': 0.5 }, exhaustive: false }, { '500': 0.5, '200': 0.5 }, { '500': 0.6, '200': 0.4 }, 0.5, mixUsed);
}

await main();
