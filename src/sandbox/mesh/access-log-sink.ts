// The one gate every istio-proxy access log line passes: a line reaches the container log only when
// access logging is on for that proxy and side (meshConfig.accessLogFile, or Telemetry — see
// telemetry-access-log.ts) and the output path is the container's stdout or stderr. Real Envoy
// writes other paths to a file inside the container, which `kubectl logs` does not show; the sandbox
// does not emulate that file and says so. It writes Istio's default TEXT format only, and says so
// when JSON or a custom format was asked for (istio.io "Envoy Access Logs": accessLogFile,
// accessLogEncoding, accessLogFormat; the demo profile sets accessLogFile: /dev/stdout).
import type { EventRecorder } from '../controllers/controller.js';
import type { KubeObject } from '../types.js';
import type { MeshSnapshot } from './types.js';
import { isGatewayPod } from './network.js';
import { accessLogOutputs, type AccessLogOutput, type WorkloadMode } from './telemetry-access-log.js';
import { compileAccessLogFilter, responseCodeOf } from './access-log-filter.js';

/** What the gate needs from the sandbox. */
export interface AccessLogSinkDeps {
  /** The config proxies run with now. */
  snapshot(): MeshSnapshot;
  /** Where the once-per-pod Warning events go. */
  events: EventRecorder;
  /** Append one line to the pod's istio-proxy container log. */
  append(pod: KubeObject, line: string): void;
}

/** Paths that are the container's own output streams. */
const containerStreams = new Set(['/dev/stdout', '/dev/stderr']);

/** The gate, as the proxy engine's `accessLog(pod, line, side)` (gateways always log as CLIENT). */
export function createAccessLogSink(deps: AccessLogSinkDeps): (pod: KubeObject, line: string, side: WorkloadMode) => void {
  // Per snapshot, per pod object (a snapshot's pods never change), the outputs of each side.
  const cache = new WeakMap<MeshSnapshot, WeakMap<KubeObject, { gateway: boolean } & Partial<Record<WorkloadMode, AccessLogOutput[]>>>>();
  const warned = new Set<string>();
  const filters = new Map<string, ((status: number) => boolean) | undefined>();
  const compiled = (expression: string) => {
    if (!filters.has(expression)) filters.set(expression, compileAccessLogFilter(expression));
    return filters.get(expression);
  };
  // Gateways log every request as CLIENT.
  const outputsFor = (snap: MeshSnapshot, pod: KubeObject, side: WorkloadMode): AccessLogOutput[] => {
    let byPod = cache.get(snap);
    if (!byPod) cache.set(snap, (byPod = new WeakMap()));
    let sides = byPod.get(pod);
    if (!sides) byPod.set(pod, (sides = { gateway: isGatewayPod(pod) }));
    const mode = sides.gateway ? 'CLIENT' : side;
    return (sides[mode] ??= accessLogOutputs(snap.mesh, snap.telemetries ?? [], pod, mode));
  };
  const warnOnce = (pod: KubeObject, reason: string, detail: string, message: string) => {
    const key = `${pod.metadata.uid ?? pod.metadata.name}|${reason}|${detail}`;
    if (warned.has(key)) return;
    warned.add(key);
    deps.events.record(pod, 'Warning', reason, message, 'istio-lab-sandbox');
  };
  return (pod, line, side) => {
    for (const out of outputsFor(deps.snapshot(), pod, side)) {
      const test = out.filter === undefined ? undefined : compiled(out.filter);
      if (test && !test(responseCodeOf(line))) continue;
      if (!containerStreams.has(out.path)) {
        warnOnce(pod, 'AccessLogFileNotEmulated', out.path, `${out.source} sends this proxy's access logs to ${out.path || '(an empty path)'}, a file inside the istio-proxy container, so kubectl logs shows none of them; the istio-lab sandbox does not emulate that file. Set the path to /dev/stdout to read access logs with kubectl logs -c istio-proxy.`);
        continue;
      }
      if (out.customFormat) warnOnce(pod, 'AccessLogFormatNotEmulated', out.customFormat, `${out.source} asks for ${out.customFormat}, but the istio-lab sandbox writes Envoy access logs in Istio's default TEXT format only; the lines in this pod's istio-proxy log use that format.`);
      deps.append(pod, line);
    }
  };
}
