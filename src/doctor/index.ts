// `istio-lab doctor` logic: checks of the target cluster (reachability, Istio, CRDs, injection,
// ingress address, tools), each a file under checks/, run in order by run-doctor.ts against any
// Cluster, so tests pass a fake one. Rendering is separate (render.ts).
export { runDoctor, reportConnectionFailure, decideOutcome } from './run-doctor.js';
export type { DoctorOptions } from './run-doctor.js';
export { formatDoctorText, formatDoctorJson } from './render.js';
export { resolveIngressAddress, formatIngressExports } from './ingress-address.js';
export type { IngressAddress, IngressInput, IngressMethod } from './ingress-address.js';
export { readImageVersion } from './checks/istio.js';
export { redactServer } from './checks/target.js';
export { describeUnreachable } from './checks/reachability.js';
export { findExecutable } from './find-executable.js';
export type { CheckId, CheckStatus, DoctorCheck, DoctorOutcome, DoctorReport } from './types.js';
