// Probes: steps that observe the world. An exhaustive map from check kind to probe; kinds whose
// probe is not built yet map to `undefined` and are refused when a lab is loaded for run/verify.
import type { Check, CheckKind } from '../lab/index.js';
import type { Probe } from './probe.js';
import { absentProbe, resourceProbe } from './resource.js';
import { podsProbe } from './pods.js';
import { httpProbe } from './http.js';
import { trafficProbe } from './traffic.js';
import { latencyProbe } from './latency.js';
import { loadProbe } from './load.js';
import { logsProbe } from './logs.js';
import { metricsProbe } from './metrics.js';
import { envoyStatsProbe } from './envoy-stats.js';
import { commandProbe } from './command.js';

const probes: { [K in CheckKind]: Probe<Extract<Check, { kind: K }>> | undefined } = {
  resource: resourceProbe,
  absent: absentProbe,
  pods: podsProbe,
  http: httpProbe,
  traffic: trafficProbe,
  latency: latencyProbe,
  load: loadProbe,
  logs: logsProbe,
  metrics: metricsProbe,
  'envoy-stats': envoyStatsProbe,
  command: commandProbe,
};

/** The probe for a check, or undefined when this version cannot run that kind. */
export function probeFor(check: Check): Probe<Check> | undefined {
  return probes[check.kind] as Probe<Check> | undefined;
}

/** Check kinds this version can run. */
export function supportedCheckKinds(): CheckKind[] {
  return (Object.keys(probes) as CheckKind[]).filter((k) => probes[k]);
}
