// Probes: steps that observe the world. An exhaustive map from check kind to probe; kinds whose
// probe is not built yet map to `undefined` and are refused when a lab is loaded for run/verify.
import type { Check, CheckKind } from '../lab/index.js';
import type { Probe } from './probe.js';
import { absentProbe, resourceProbe } from './resource.js';
import { podsProbe } from './pods.js';

const probes: { [K in CheckKind]: Probe<Extract<Check, { kind: K }>> | undefined } = {
  resource: resourceProbe,
  absent: absentProbe,
  pods: podsProbe,
  http: undefined,
  traffic: undefined,
  latency: undefined,
  load: undefined,
  logs: undefined,
  metrics: undefined,
  'envoy-stats': undefined,
  command: undefined,
};

/** The probe for a check, or undefined when this version cannot run that kind. */
export function probeFor(check: Check): Probe<Check> | undefined {
  return probes[check.kind] as Probe<Check> | undefined;
}

/** Check kinds this version can run. */
export function supportedCheckKinds(): CheckKind[] {
  return (Object.keys(probes) as CheckKind[]).filter((k) => probes[k]);
}
