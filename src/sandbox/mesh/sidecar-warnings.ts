// The Sidecar resource is modelled only for its outboundTrafficPolicy (§9, routing/outbound-policy.ts).
// Any other field would change what a real proxy does while the sandbox ignores it, so the sandbox
// says so with a Warning event on the Sidecar instead of pretending.
import type { EventRecorder } from '../controllers/controller.js';
import type { KubeObject } from '../types.js';

/** Reason of the Warning event. */
export const sidecarFieldsReason = 'SidecarFieldsNotEmulated';

/** Spec fields of a Sidecar that the sandbox does not act on. */
export function unmodelledSidecarFields(sidecar: KubeObject): string[] {
  return Object.keys(sidecar.spec ?? {}).filter((k) => k !== 'outboundTrafficPolicy' && k !== 'workloadSelector').sort();
}

/** Record a Warning event on `sidecar` when it sets fields the sandbox ignores. */
export function warnUnmodelledSidecarFields(events: EventRecorder, sidecar: KubeObject): void {
  const fields = unmodelledSidecarFields(sidecar);
  if (!fields.length) return;
  const list = fields.map((f) => `spec.${f}`).join(', ');
  events.record(sidecar, 'Warning', sidecarFieldsReason, `the istio-lab sandbox applies only spec.outboundTrafficPolicy (and workloadSelector) of a Sidecar; ${list} ${fields.length > 1 ? 'are' : 'is'} ignored, so the sandbox's proxies still see every service and port of the mesh.`);
}
