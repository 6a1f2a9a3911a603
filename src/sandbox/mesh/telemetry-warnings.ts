// Telemetry (telemetry.istio.io) is modelled for access logging only (telemetry-access-log.ts). What
// a real mesh would do with the rest — metrics and tracing overrides, non-file access log providers,
// CEL filters beyond `response.code` comparisons — the sandbox does not, and says so with a Warning
// event on the Telemetry instead of pretending.
import type { EventRecorder } from '../controllers/controller.js';
import type { KubeObject } from '../types.js';
import type { MeshConfig } from './mesh-config.js';
import { findProvider } from './telemetry-access-log.js';
import { compileAccessLogFilter } from './access-log-filter.js';

/** Spec fields of a Telemetry the sandbox acts on. */
const modelledFields = new Set(['selector', 'targetRef', 'targetRefs', 'accessLogging']);

/** Warning messages for what `telemetry` asks of the sandbox that it does not do. */
export function unmodelledTelemetryMessages(telemetry: KubeObject, mesh: MeshConfig): { reason: string; message: string }[] {
  const out: { reason: string; message: string }[] = [];
  const fields = Object.keys(telemetry.spec ?? {}).filter((k) => !modelledFields.has(k)).sort();
  if (fields.length) {
    out.push({ reason: 'TelemetryFieldsNotEmulated', message: `the istio-lab sandbox applies only spec.accessLogging of a Telemetry; ${fields.map((f) => `spec.${f}`).join(', ')} ${fields.length > 1 ? 'are' : 'is'} ignored (its proxies keep Istio's default metrics and send no trace spans).` });
  }
  for (const entry of telemetry.spec?.accessLogging ?? []) {
    const expression = entry?.filter?.expression;
    if (expression !== undefined && !compileAccessLogFilter(String(expression))) {
      out.push({ reason: 'AccessLogFilterNotEmulated', message: `the istio-lab sandbox evaluates only response.code comparisons (joined by && or ||) in accessLogging filters; "${expression}" is not applied, so every request is logged.` });
    }
    for (const ref of entry?.providers ?? []) {
      const name = String(ref?.name ?? '');
      const provider = findProvider(mesh, name);
      if (!provider) out.push({ reason: 'AccessLogProviderNotFound', message: `access log provider "${name}" is neither the built-in envoy provider nor in meshConfig.extensionProviders, so istiod skips it and it logs nothing.` });
      else if (!provider.envoyFileAccessLog) out.push({ reason: 'AccessLogProviderNotEmulated', message: `access log provider "${name}" sends logs to a collector, which the istio-lab sandbox does not emulate; only envoyFileAccessLog providers (such as the built-in envoy) write access logs here.` });
    }
  }
  return out;
}

/** Record a Warning event on `telemetry` for each unmodelled part. */
export function warnUnmodelledTelemetry(events: EventRecorder, telemetry: KubeObject, mesh: MeshConfig): void {
  for (const w of unmodelledTelemetryMessages(telemetry, mesh)) events.record(telemetry, 'Warning', w.reason, w.message, 'istio-lab-sandbox');
}
