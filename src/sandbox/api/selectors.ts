// Label and field selectors with the syntax and restrictions of the Kubernetes API.
import type { KubeObject } from '../types.js';
import { badRequest } from './status.js';

type Requirement = (labels: Record<string, string>) => boolean;

/** Compile a label selector string (`app=x,tier!=db,env in (a,b),!legacy,version`). */
export function parseLabelSelector(selector: string | null | undefined): (obj: KubeObject) => boolean {
  if (!selector || !selector.trim()) return () => true;
  const reqs = splitTopLevel(selector).map(parseRequirement);
  return (obj) => {
    const labels = obj.metadata.labels ?? {};
    return reqs.every((r) => r(labels));
  };
}

/** Turn a LabelSelector object (matchLabels/matchExpressions) into a predicate on labels. */
export function matchesLabelSelector(
  selector: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!selector) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    const vals = e.values ?? [];
    if (e.operator === 'In' && !(has && vals.includes(l[e.key]))) return false;
    if (e.operator === 'NotIn' && has && vals.includes(l[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** Render matchLabels/matchExpressions as a selector string (used in Scale status and tables). */
export function formatLabelSelector(selector: { matchLabels?: Record<string, string> } | undefined): string {
  return Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
}

function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) parts.push(cur.trim());
  return parts;
}

function parseRequirement(req: string): Requirement {
  let m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(req);
  if (m) {
    const [, key, op, list] = m;
    const values = list.split(',').map((v) => v.trim()).filter(Boolean);
    return op === 'in'
      ? (l) => key in l && values.includes(l[key])
      : (l) => !(key in l) || !values.includes(l[key]);
  }
  m = /^!\s*([\w./-]+)$/.exec(req);
  if (m) {
    const key = m[1];
    return (l) => !(key in l);
  }
  m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(req);
  if (m) {
    const [, key, op, value] = m;
    return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
  }
  m = /^([\w./-]+)$/.exec(req);
  if (m) {
    const key = m[1];
    return (l) => key in l;
  }
  throw badRequest(`unable to parse requirement: ${JSON.stringify(req)}`);
}

const commonFields = ['metadata.name', 'metadata.namespace'];

/** Field labels each kind supports in fieldSelector, as the real server restricts them. */
const fieldsByResource: Record<string, string[]> = {
  '/pods': ['status.phase', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.podIP', 'status.nominatedNodeName', 'spec.hostNetwork'],
  '/events': ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
  '/secrets': ['type'],
  '/namespaces': ['status.phase'],
  '/nodes': ['spec.unschedulable'],
  'apps/replicasets': ['status.replicas'],
  'batch/jobs': ['status.successful'],
};

/** Compile a field selector for one storage key (`/pods`), rejecting unsupported field labels with 400. */
export function parseFieldSelector(selector: string | null | undefined, storageKey: string, custom: boolean): (obj: KubeObject) => boolean {
  if (!selector || !selector.trim()) return () => true;
  const allowed = new Set([...commonFields, ...(fieldsByResource[storageKey] ?? [])]);
  const reqs = selector.split(',').map((part) => {
    const m = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(part.trim());
    if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${part}'`);
    const [, field, op, value] = m;
    if (!allowed.has(field) && !(custom && field.startsWith('metadata.'))) {
      throw badRequest(`field label not supported: ${field}`);
    }
    return (obj: KubeObject) => {
      const actual = String(readPath(obj, field) ?? '');
      return op === '!=' ? actual !== value : actual === value;
    };
  });
  return (obj) => reqs.every((r) => r(obj));
}

function readPath(obj: unknown, path: string): unknown {
  let cur: any = obj;
  for (const part of path.split('.')) cur = cur?.[part];
  return cur;
}
