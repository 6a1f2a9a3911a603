// Service defaulting (type, clusterIP and nodePort allocation, IP families) and validation.
import type { KindHooks } from '../../api/registry.js';
import type { StatusCause } from '../../api/status.js';
import type { ObjectStore } from '../../store/object-store.js';
import type { Random } from '../../runtime/determinism.js';
import type { KubeObject } from '../../types.js';
import { goStringSlice, unsupported } from './go-format.js';

const cidrBase = (10 << 24) | (96 << 16); // 10.96.0.0/12
const cidrSize = 1 << 20;
// Dynamic allocations skip the static band (the first 256 addresses, as upstream for a /12) and, to keep
// addresses short and familiar, stay within the first /14 (10.96.1.0–10.99.255.254).
const dynamicFirst = 256;
const dynamicSize = (1 << 18) - dynamicFirst - 1;
const reservedIps = new Set(['10.96.0.0', '10.96.0.1', '10.96.0.10', '10.111.255.255']);
const nodePortMin = 30000;
const nodePortMax = 32767;
const types = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

function ipToString(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

function ipInRange(ip: string): boolean {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return false;
  const n = ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
  return n >= cidrBase && n < cidrBase + cidrSize;
}

const sameService = (a: KubeObject, b: KubeObject) => a.metadata.namespace === b.metadata.namespace && a.metadata.name === b.metadata.name;
const wantsNodePorts = (svc: KubeObject) => svc.spec?.type === 'NodePort' || (svc.spec?.type === 'LoadBalancer' && svc.spec?.allocateLoadBalancerNodePorts !== false);

/** What other services already hold. */
function allocated(store: ObjectStore, self: KubeObject): { ips: Set<string>; nodePorts: Set<number> } {
  const ips = new Set<string>();
  const nodePorts = new Set<number>();
  for (const svc of store.list('/services')) {
    if (sameService(svc, self)) continue;
    for (const ip of svc.spec?.clusterIPs ?? [svc.spec?.clusterIP]) if (ip && ip !== 'None') ips.add(ip);
    for (const p of svc.spec?.ports ?? []) if (p.nodePort) nodePorts.add(p.nodePort);
  }
  return { ips, nodePorts };
}

function carryAllocations(svc: KubeObject, old: KubeObject): void {
  const spec = svc.spec;
  if (spec.type !== 'ExternalName' && old.spec?.clusterIP && !spec.clusterIP) {
    spec.clusterIP = old.spec.clusterIP;
    spec.clusterIPs = old.spec.clusterIPs;
  }
  if (!wantsNodePorts(svc)) return;
  for (const p of spec.ports ?? []) {
    if (p.nodePort) continue;
    const prev = (old.spec?.ports ?? []).find((o: any) => o.port === p.port && (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
    if (prev?.nodePort) p.nodePort = prev.nodePort;
  }
}

/** Fill Service defaults and allocate a clusterIP and nodePorts not held by any other Service. */
export function defaultService(store: ObjectStore, random: Random, svc: KubeObject, old: KubeObject | undefined): void {
  const spec = (svc.spec ??= {});
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  for (const p of spec.ports ?? []) {
    p.protocol ??= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (old) carryAllocations(svc, old);
  svc.status ??= { loadBalancer: {} };
  if (spec.type === 'ExternalName') {
    for (const f of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy', 'internalTrafficPolicy']) delete spec[f];
    return;
  }
  spec.internalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  const taken = allocated(store, svc);
  if (!spec.clusterIP) {
    let ip: string;
    do ip = ipToString((cidrBase + dynamicFirst + Math.floor(random() * dynamicSize)) >>> 0);
    while (taken.ips.has(ip) || reservedIps.has(ip));
    spec.clusterIP = ip;
  }
  spec.clusterIPs = [spec.clusterIP];
  spec.ipFamilies ??= ['IPv4'];
  spec.ipFamilyPolicy ??= 'SingleStack';
  if (wantsNodePorts(svc)) {
    for (const p of spec.ports ?? []) {
      if (p.nodePort) continue;
      let port: number;
      do port = nodePortMin + Math.floor(random() * (nodePortMax - nodePortMin + 1));
      while (taken.nodePorts.has(port));
      taken.nodePorts.add(port);
      p.nodePort = port;
    }
  } else if (old && wantsNodePorts(old)) {
    // dropTypeDependentFields: leaving NodePort/LoadBalancer releases node ports and their policies.
    for (const p of spec.ports ?? []) delete p.nodePort;
    if (spec.type === 'ClusterIP') delete spec.externalTrafficPolicy;
  }
  if (spec.type !== 'LoadBalancer') delete spec.allocateLoadBalancerNodePorts;
}

function validatePorts(svc: KubeObject, old: KubeObject | undefined, taken: Set<number>): StatusCause[] {
  const spec = svc.spec;
  const causes: StatusCause[] = [];
  const ports: any[] = spec.ports ?? [];
  const headless = spec.clusterIP === 'None';
  if (!ports.length && !headless && spec.type !== 'ExternalName') causes.push({ field: 'spec.ports', reason: 'FieldValueRequired', message: 'Required value' });
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const at = `spec.ports[${i}]`;
    if (ports.length > 1 && !p.name) causes.push({ field: `${at}.name`, reason: 'FieldValueRequired', message: 'Required value' });
    if (p.name && names.has(p.name)) causes.push({ field: `${at}.name`, reason: 'FieldValueDuplicate', message: `Duplicate value: ${JSON.stringify(p.name)}` });
    if (p.name) names.add(p.name);
    if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) {
      causes.push({ field: `${at}.port`, reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(p.port ?? 0)}: must be between 1 and 65535, inclusive` });
    }
    if (!['TCP', 'UDP', 'SCTP'].includes(p.protocol)) causes.push({ field: `${at}.protocol`, reason: 'FieldValueNotSupported', message: unsupported(p.protocol, ['SCTP', 'TCP', 'UDP']) });
    if (typeof p.targetPort === 'number' && (p.targetPort < 1 || p.targetPort > 65535)) {
      causes.push({ field: `${at}.targetPort`, reason: 'FieldValueInvalid', message: `Invalid value: ${p.targetPort}: must be between 1 and 65535, inclusive` });
    }
    if (!p.nodePort) return;
    if (spec.type === 'ClusterIP') causes.push({ field: `${at}.nodePort`, reason: 'FieldValueForbidden', message: "Forbidden: may not be used when `type` is 'ClusterIP'" });
    else if (p.nodePort < nodePortMin || p.nodePort > nodePortMax) {
      causes.push({ field: `${at}.nodePort`, reason: 'FieldValueInvalid', message: `Invalid value: ${p.nodePort}: provided port is not in the valid range. The range of valid ports is ${nodePortMin}-${nodePortMax}` });
    } else if (taken.has(p.nodePort) && !(old?.spec?.ports ?? []).some((o: any) => o.nodePort === p.nodePort)) {
      causes.push({ field: `${at}.nodePort`, reason: 'FieldValueInvalid', message: `Invalid value: ${p.nodePort}: provided port is already allocated` });
    }
  });
  return causes;
}

/** Validate a Service as the real server would for the fields labs touch. */
export function validateService(store: ObjectStore, svc: KubeObject, old: KubeObject | undefined): StatusCause[] {
  const spec = svc.spec ?? {};
  const causes: StatusCause[] = [];
  if (!types.includes(spec.type)) causes.push({ field: 'spec.type', reason: 'FieldValueNotSupported', message: unsupported(spec.type, types) });
  if (spec.type === 'ExternalName' && !spec.externalName) causes.push({ field: 'spec.externalName', reason: 'FieldValueRequired', message: 'Required value' });
  if (!['None', 'ClientIP'].includes(spec.sessionAffinity)) causes.push({ field: 'spec.sessionAffinity', reason: 'FieldValueNotSupported', message: unsupported(spec.sessionAffinity, ['ClientIP', 'None']) });
  const taken = allocated(store, svc);
  const ip = spec.clusterIP;
  const oldIp = old?.spec?.clusterIP;
  if (old && oldIp && ip && ip !== oldIp && old.spec?.type !== 'ExternalName' && spec.type !== 'ExternalName') {
    causes.push({ field: 'spec.clusterIPs[0]', reason: 'FieldValueInvalid', message: `Invalid value: ${goStringSlice(spec.clusterIPs)}: may not change once set` });
  } else if (ip && ip !== 'None' && ip !== oldIp) {
    if (!ipInRange(ip)) {
      causes.push({ field: 'spec.clusterIPs', reason: 'FieldValueInvalid', message: `Invalid value: ${goStringSlice([ip])}: failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is 10.96.0.0/12` });
    } else if (taken.ips.has(ip)) {
      causes.push({ field: 'spec.clusterIPs', reason: 'FieldValueInvalid', message: `Invalid value: ${goStringSlice([ip])}: failed to allocate IP ${ip}: provided IP is already allocated` });
    }
  }
  return [...causes, ...validatePorts(svc, old, taken.nodePorts)];
}

/** Hooks for `/services`. */
export function serviceHooks(store: ObjectStore, random: Random): KindHooks {
  return {
    default: (obj, old) => defaultService(store, random, obj, old),
    validate: (obj, old) => validateService(store, obj, old),
  };
}
