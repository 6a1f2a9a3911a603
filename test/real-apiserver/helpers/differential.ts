// Differential testing: one scripted sequence of raw API calls runs against the real kube-apiserver
// and the sandbox; each recorded response is normalised (status code, Status reason/message/details,
// the object fields that matter) and the two records must agree, except where an allow-list entry
// names the step, the field and the reason. Allow-list entries that no longer match fail the test,
// so the list (and docs/real-apiserver.md) stays exactly the set of known differences.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as k8s from '@kubernetes/client-node';
import type { RawResponse } from '../../helpers/raw-http.js';
import { send as sendRequest } from './http.js';
import { until } from './real.js';

/** One API server under test. */
export interface Backend {
  name: 'real' | 'sandbox';
  kc: k8s.KubeConfig;
  /** Make every resourceVersion so far too old (real: compact etcd; sandbox: restart, which compacts its history). */
  expireHistory(): Promise<void>;
}

/** Options of one call. */
export interface CallOptions {
  /** JSON body (objects are serialised; strings are sent as they are). */
  body?: unknown;
  contentType?: string;
  /** Reduce a returned object (or each list item) to the fields that matter. */
  pick?: (obj: any) => unknown;
}

/** What a script uses to talk to one backend. */
export interface Session {
  backend: Backend;
  /** Send a request and record its normalised response as `label`. */
  call(label: string, method: string, path: string, opts?: CallOptions): Promise<RawResponse>;
  /** Send a request without recording it (setup, polling). */
  send(method: string, path: string, opts?: CallOptions): Promise<RawResponse>;
  /** Record any value as `label`. */
  record(label: string, value: unknown): void;
  /** Poll until `fn` is true (controllers are asynchronous on both sides). */
  until(what: string, fn: () => Promise<boolean>, timeoutMs?: number): Promise<void>;
  /** Make every resourceVersion so far too old (compaction). */
  expireHistory(): Promise<void>;
  /** Open a watch and collect its events until the server closes it (use timeoutSeconds). */
  watch(path: string): Promise<{ status: number; events: { type: string; object: any }[] }>;
}

/** A tolerated difference: which step, which normalised field (path prefix), and why. */
export interface AllowedDifference {
  /** The recorded label (exact). */
  step: string;
  /** Path prefix in the normalised record, e.g. `body.message` or `body.items`; '' for all of it. */
  path: string;
  reason: string;
}

/** A difference between the two records. */
export interface Difference {
  step: string;
  path: string;
  real: unknown;
  sandbox: unknown;
}

/** Build a session that records into `into`. */
function openSession(backend: Backend, into: Map<string, unknown>): Session {
  const send = (method: string, path: string, opts: CallOptions = {}) => {
    const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const contentType = opts.contentType ?? (body !== undefined ? 'application/json' : undefined);
    return sendRequest(backend.kc, method, path, { body, contentType }).catch((err: Error) => {
      throw new Error(`${backend.name}: ${method} ${path}: ${err.message}`);
    });
  };
  const record = (label: string, value: unknown) => {
    if (into.has(label)) throw new Error(`step label "${label}" recorded twice`);
    into.set(label, value);
  };
  return {
    backend,
    send,
    record,
    async call(label, method, path, opts = {}) {
      const res = await send(method, path, opts);
      record(label, normalizeResponse(res, opts.pick));
      return res;
    },
    expireHistory: () => backend.expireHistory(),
    until: (what, fn, timeoutMs = 60_000) => until(fn, timeoutMs, `${what} (${backend.name})`),
    async watch(path) {
      const res = await send('GET', path);
      const events = res.status === 200 ? res.body.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l)) : [];
      return { status: res.status, events };
    },
  };
}

/** Run `script` against both backends (concurrently) and return the differences not allowed. */
export async function runDifferential(backends: { real: Backend; sandbox: Backend }, script: (s: Session) => Promise<void>, allowed: AllowedDifference[]): Promise<{ unexplained: Difference[]; explained: (Difference & { reason: string })[]; unusedAllowances: AllowedDifference[] }> {
  const records = { real: new Map<string, unknown>(), sandbox: new Map<string, unknown>() };
  await Promise.all([script(openSession(backends.real, records.real)), script(openSession(backends.sandbox, records.sandbox))]);
  const diffs = compareRecords(records.real, records.sandbox);
  const used = new Set<AllowedDifference>();
  const unexplained: Difference[] = [];
  const explained: (Difference & { reason: string })[] = [];
  for (const d of diffs) {
    const allow = allowed.find((a) => a.step === d.step && (a.path === '' || d.path === a.path || d.path.startsWith(`${a.path}.`) || d.path.startsWith(`${a.path}[`)));
    if (allow) {
      used.add(allow);
      explained.push({ ...d, reason: allow.reason });
    } else unexplained.push(d);
  }
  return { unexplained, explained, unusedAllowances: allowed.filter((a) => !used.has(a)) };
}

/** Assert a differential result: no unexplained difference, no stale allow-list entry. */
export function assertAgreement(result: Awaited<ReturnType<typeof runDifferential>>, diagnostic: (msg: string) => void = () => undefined): void {
  const byReason = new Map<string, string[]>();
  for (const e of result.explained) byReason.set(`[${e.step}] ${e.reason}`, [...(byReason.get(`[${e.step}] ${e.reason}`) ?? []), e.path || '(record)']);
  for (const [what, paths] of byReason) diagnostic(`allowed ${what} — ${paths.length} field(s): ${paths.slice(0, 4).join(', ')}${paths.length > 4 ? ', …' : ''}`);
  const lines = result.unexplained.map((d) => `  [${d.step}] ${d.path || '(record)'}: real=${JSON.stringify(d.real)} sandbox=${JSON.stringify(d.sandbox)}`);
  const stale = result.unusedAllowances.map((a) => `  [${a.step}] ${a.path}: ${a.reason}`);
  if (lines.length || stale.length) {
    const parts = [];
    if (lines.length) parts.push(`${lines.length} unexplained difference(s) between the real kube-apiserver and the sandbox:`, ...lines);
    if (stale.length) parts.push(`${stale.length} allow-list entr(ies) no longer match any difference (remove them, and from docs/real-apiserver.md):`, ...stale);
    assert.fail(parts.join('\n'));
  }
}

/** Differences between two sets of records, path by path. */
export function compareRecords(real: Map<string, unknown>, sandbox: Map<string, unknown>): Difference[] {
  const out: Difference[] = [];
  for (const step of new Set([...real.keys(), ...sandbox.keys()])) {
    const a = flatten(real.get(step));
    const b = flatten(sandbox.get(step));
    for (const path of new Set([...a.keys(), ...b.keys()])) {
      if (a.get(path) !== b.get(path)) {
        out.push({ step, path, real: a.has(path) ? JSON.parse(a.get(path)!) : undefined, sandbox: b.has(path) ? JSON.parse(b.get(path)!) : undefined });
      }
    }
  }
  return out;
}

function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (value === undefined) return out;
  if (Array.isArray(value)) {
    if (!value.length) out.set(prefix, '[]');
    value.forEach((v, i) => flatten(v, `${prefix}[${i}]`, out));
  } else if (value && typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => (value as any)[k] !== undefined);
    if (!keys.length) out.set(prefix, '{}');
    for (const k of keys.sort()) flatten((value as any)[k], prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, JSON.stringify(value));
  return out;
}

/** A response reduced to what must agree. */
export function normalizeResponse(res: RawResponse, pick?: (obj: any) => unknown): unknown {
  let body: any;
  try {
    body = res.body ? res.json() : undefined;
  } catch {
    body = `<non-JSON body: ${res.body.slice(0, 80)}>`;
  }
  return { status: res.status, body: normalizeBody(body, pick) };
}

function normalizeBody(body: any, pick?: (obj: any) => unknown): unknown {
  if (!body || typeof body !== 'object') return body;
  if (body.kind === 'Status') return normalizeStatus(body);
  if (Array.isArray(body.items)) {
    return {
      kind: body.kind,
      continue: body.metadata?.continue ? '<token>' : undefined,
      remainingItemCount: body.metadata?.remainingItemCount,
      items: body.items.map((o: any) => (pick ? pick(o) : normalizeObject(o))),
    };
  }
  return pick ? pick(body) : normalizeObject(body);
}

/** A Status without its volatile parts (uid). */
export function normalizeStatus(s: any): unknown {
  const d = s.details ?? {};
  // A cause listed twice (validation that runs twice on the real server) counts once.
  const causes = d.causes ? [...new Map(d.causes.map((c: any) => [JSON.stringify([c.reason, c.field, c.message]), { reason: c.reason, field: c.field, message: c.message }])).values()].sort((x: any, y: any) => `${x.field}${x.message}`.localeCompare(`${y.field}${y.message}`)) : undefined;
  // An empty details object says nothing: treat it as absent.
  const details = d.name || d.group || d.kind || causes ? { name: d.name || undefined, group: d.group || undefined, kind: d.kind || undefined, causes } : undefined;
  return { kind: 'Status', status: s.status, reason: s.reason || undefined, code: s.code, message: maskVolatile(s.message), details };
}

/** Messages name uids and resourceVersions, which differ by nature between two servers. */
function maskVolatile(message: unknown): unknown {
  if (typeof message !== 'string') return message;
  return message.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uid>').replace(/ResourceVersion in record \(\d+\)/g, 'ResourceVersion in record (<rv>)');
}

/** An object without server-assigned volatile values (uid, resourceVersion, timestamps). */
export function normalizeObject(o: any): any {
  if (!o || typeof o !== 'object') return o;
  const out = structuredClone(o);
  const m = out.metadata;
  if (m) {
    delete m.uid;
    delete m.resourceVersion;
    delete m.creationTimestamp;
    delete m.selfLink;
    if (m.deletionTimestamp) m.deletionTimestamp = '<set>';
    if (m.managedFields) m.managedFields = normalizeManagedFields(m.managedFields);
    if (m.ownerReferences) m.ownerReferences = m.ownerReferences.map((r: any) => ({ ...r, uid: '<uid>' }));
  }
  return out;
}

/** Field managers of controllers: when their status writes land is a matter of timing. */
const controllerManagers = new Set(['kube-controller-manager', 'kube-scheduler', 'kubelet']);

/** managedFields without times and controllers' entries, in a stable order. */
export function normalizeManagedFields(fields: any[]): any[] {
  return fields.filter((f) => !controllerManagers.has(f.manager)).map(({ time: _t, ...f }) => f).sort((a, b) => `${a.manager}/${a.operation}/${a.subresource ?? ''}`.localeCompare(`${b.manager}/${b.operation}/${b.subresource ?? ''}`));
}

/** Pick dotted paths from an object (missing paths are left out). */
export function pickPaths(...paths: string[]): (obj: any) => unknown {
  return (obj) => {
    const out: Record<string, unknown> = {};
    for (const p of paths) {
      const v = p.split('.').reduce((acc: any, k) => (acc === undefined || acc === null ? undefined : acc[k]), obj);
      if (v !== undefined) out[p] = p.endsWith('managedFields') ? normalizeManagedFields(v) : p.endsWith('Timestamp') ? '<set>' : v;
    }
    return out;
  };
}

/** Create a namespace for a script (recorded, so the create itself is compared) and wait for its default ServiceAccount. */
export async function createNamespace(s: Session, name: string): Promise<void> {
  await s.call(`create namespace ${name}`, 'POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, pick: pickPaths('metadata.name', 'spec', 'status') });
  await s.until(`default ServiceAccount in ${name}`, async () => (await s.send('GET', `/api/v1/namespaces/${name}/serviceaccounts/default`)).status === 200);
}

/** A ConfigMap body. */
export function configMap(name: string, data: Record<string, string> = {}, labels?: Record<string, string>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(labels ? { labels } : {}) }, data };
}

/** Names of a list response's items. */
export const names = (o: any): unknown => o.metadata?.name;

/** Start the sandbox and pair it with the real server. */
export async function openBackends(): Promise<{ backends: { real: Backend; sandbox: Backend }; dispose(): Promise<void> }> {
  const { startTestSandbox } = await import('../../helpers/sandbox.js');
  const { compactEtcd, realKubeConfig } = await import('./real.js');
  const real: Backend = { name: 'real', kc: realKubeConfig(), expireHistory: compactEtcd };
  const home = mkdtempSync(join(tmpdir(), 'istio-lab-differential-'));
  let sb = await startTestSandbox({ home });
  const sandbox: Backend = {
    name: 'sandbox',
    kc: sb.kc,
    async expireHistory() {
      await sb.dispose();
      sb = await startTestSandbox({ home });
      sandbox.kc = sb.kc;
    },
  };
  return {
    backends: { real, sandbox },
    async dispose() {
      await sb.dispose();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
