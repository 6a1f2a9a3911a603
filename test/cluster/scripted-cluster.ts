// Test helper: an in-memory Cluster with resourceVersions and a watch event log, whose calls fail
// in scripted ways (before or after the write is applied), the way a flaky API server does.
import type { Cluster, ClusterWatchEvent, ExecResult, KubeObject, ListOptions, ObjectRef, ResourceInfo, TargetInfo } from '../../src/cluster/types.js';
import { KubeApiError, KubeTransportError } from '../../src/cluster/rest.js';

/** A scripted outcome of one call: fail before applying it, or apply it and then fail. */
export type Fault = { before: unknown } | { after: unknown };

/** A scripted watch stream: fail at open, or forward `events` events (then stay open if absent) and end with `end` (an error, or 'clean'). */
export interface WatchScript {
  open?: unknown;
  events?: number;
  end?: unknown;
  /** Run just before the stream ends (mutate the store while no watch is open). */
  beforeEnd?: () => void;
  /** Send 410 as an ERROR event (instead of failing the open) when the resourceVersion is compacted. */
  goneAsEvent?: boolean;
}

/** Errors as each layer of the real client raises them. */
export const errors = {
  status: (code: number, reason: string, retryAfterSeconds?: number) => new KubeApiError(code, reason, `${reason} (${code})`, { kind: 'Status', code, reason }, retryAfterSeconds),
  transport: (code: string) => new KubeTransportError(`connect ${code}`, code),
  /** client-node's Watch: `Error(statusText)` with statusCode. */
  watchStatus: (code: number) => Object.assign(new Error(code === 410 ? 'Gone' : 'Service Unavailable'), { statusCode: code }),
  /** node-fetch's FetchError for a reset stream. */
  fetch: (code: string) => Object.assign(new Error(`request failed, reason: ${code}`), { code, type: 'system' }),
  /** KubeCluster.exec's rejection when the WebSocket failed to open (ws ErrorEvent as cause). */
  wsOpen: (code: number) => Object.assign(new Error('[object Object]'), { cause: { type: 'error', message: `Unexpected server response: ${code}` } }),
};

const key = (r: { kind: string; namespace?: string; name?: string }) => `${r.kind}/${r.namespace ?? 'default'}/${r.name}`;

/** The fake: `faults[call]` and `watches` are consumed in order; `calls` records every attempt. */
export class ScriptedCluster implements Cluster {
  readonly target: TargetInfo = { context: 'fake', server: 'https://fake', sandbox: false, disposable: true, namespace: 'default' };
  readonly objects = new Map<string, KubeObject>();
  readonly events: { rv: number; e: ClusterWatchEvent }[] = [];
  readonly faults: Record<string, Fault[]> = {};
  readonly watches: WatchScript[] = [];
  readonly calls: string[] = [];
  /** resourceVersions of each watch opened. */
  readonly watchFrom: (string | undefined)[] = [];
  rv = 10;
  /** Watches from below this resourceVersion get 410 Gone. */
  compactedBelow = 0;
  private readonly live = new Set<(e: ClusterWatchEvent) => void>();

  /** Store an object now (as another client would), recording its event. */
  put(obj: KubeObject): KubeObject {
    const stored = structuredClone(obj);
    const existed = this.objects.has(key({ ...obj.metadata, kind: obj.kind }));
    stored.metadata = { namespace: 'default', ...stored.metadata, resourceVersion: String(++this.rv), uid: stored.metadata.uid ?? `uid-${this.rv}` };
    this.objects.set(key({ ...stored.metadata, kind: obj.kind }), stored);
    this.record(existed ? 'MODIFIED' : 'ADDED', stored);
    return structuredClone(stored);
  }

  /** Remove an object now, recording its event. */
  remove(ref: ObjectRef): boolean {
    const k = key(ref);
    const obj = this.objects.get(k);
    if (!obj) return false;
    this.objects.delete(k);
    this.record('DELETED', { ...obj, metadata: { ...obj.metadata, resourceVersion: String(++this.rv) } });
    return true;
  }

  async resource(apiVersion: string, kind: string): Promise<ResourceInfo> {
    return this.step('resource', () => ({ group: '', version: apiVersion, kind, plural: `${kind.toLowerCase()}s`, namespaced: true }));
  }
  async version(): Promise<string> {
    return this.step('version', () => 'v1.30.0');
  }
  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    return this.step('get', () => structuredClone(this.objects.get(key(ref))));
  }
  async list(_apiVersion: string, kind: string, opts: ListOptions = {}): Promise<{ items: KubeObject[]; resourceVersion: string }> {
    return this.step('list', () => ({ items: [...this.objects.values()].filter((o) => o.kind === kind && (!opts.namespace || o.metadata.namespace === opts.namespace)).map((o) => structuredClone(o)), resourceVersion: String(this.rv) }));
  }
  async create(obj: KubeObject): Promise<KubeObject> {
    return this.step('create', () => {
      if (this.objects.has(key({ ...obj.metadata, kind: obj.kind }))) throw errors.status(409, 'AlreadyExists');
      return this.put(obj);
    });
  }
  async replace(obj: KubeObject): Promise<KubeObject> {
    return this.step('replace', () => {
      const current = this.objects.get(key({ ...obj.metadata, kind: obj.kind }));
      if (!current) throw errors.status(404, 'NotFound');
      if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== current.metadata.resourceVersion) throw errors.status(409, 'Conflict');
      return this.put({ ...obj, metadata: { ...obj.metadata, uid: current.metadata.uid } });
    });
  }
  async apply(obj: KubeObject): Promise<KubeObject> {
    return this.step('apply', () => this.put(obj));
  }
  async patch(ref: ObjectRef, patch: any): Promise<KubeObject> {
    return this.step('patch', () => {
      const current = this.objects.get(key(ref));
      if (!current) throw errors.status(404, 'NotFound');
      const labels = Array.isArray(patch) ? { ...current.metadata.labels, n: String(Number(current.metadata.labels?.n ?? 0) + 1) } : { ...current.metadata.labels, ...patch.metadata?.labels };
      return this.put({ ...current, metadata: { ...current.metadata, labels } });
    });
  }
  async delete(ref: ObjectRef): Promise<boolean> {
    return this.step('delete', () => this.remove(ref));
  }
  async exec(): Promise<ExecResult> {
    return this.step('exec', () => ({ code: 0, stdout: 'ok', stderr: '' }));
  }
  async logs(): Promise<string> {
    return this.step('logs', () => 'log line');
  }
  async portForward(): Promise<{ localPort: number; close(): Promise<void> }> {
    return this.step('portForward', () => ({ localPort: 1, close: async () => undefined }));
  }
  close(): void {}

  async watch(_apiVersion: string, kind: string, opts: ListOptions & { resourceVersion?: string }, onEvent: (e: ClusterWatchEvent) => void, signal: AbortSignal): Promise<void> {
    this.calls.push('watch');
    this.watchFrom.push(opts.resourceVersion);
    const script = this.watches.shift() ?? {};
    if (script.open) throw script.open;
    const from = Number(opts.resourceVersion ?? this.rv);
    if (from < this.compactedBelow) {
      if (!script.goneAsEvent) throw errors.watchStatus(410);
      onEvent({ type: 'ERROR', object: { apiVersion: 'v1', kind: 'Status', metadata: {}, code: 410, reason: 'Expired' } });
      return;
    }
    await new Promise<void>((resolve, reject) => {
      let sent = 0;
      let ended = false;
      const finish = () => {
        ended = true;
        this.live.delete(deliver);
        signal.removeEventListener('abort', onAbort);
      };
      const end = () => {
        if (ended) return;
        script.beforeEnd?.();
        finish();
        if (script.end === undefined || script.end === 'clean') resolve();
        else reject(script.end);
      };
      // After `events` events the stream is dead: later events reach this watcher only by resuming.
      const deliver = (e: ClusterWatchEvent) => {
        if (ended || e.object.kind !== kind || (script.events !== undefined && sent >= script.events)) return;
        onEvent(structuredClone(e));
        if (script.events !== undefined && ++sent >= script.events) setImmediate(end);
      };
      const onAbort = () => {
        finish();
        resolve();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      for (const { rv, e } of this.events) if (rv > from) deliver(e);
      this.live.add(deliver);
      if (script.events === 0) setImmediate(end);
    });
  }

  private record(type: ClusterWatchEvent['type'], object: KubeObject): void {
    const e = { type, object: structuredClone(object) };
    this.events.push({ rv: this.rv, e });
    for (const l of [...this.live]) l(e);
  }

  private async step<T>(call: string, apply: () => T): Promise<T> {
    this.calls.push(call);
    const fault = this.faults[call]?.shift();
    if (fault && 'before' in fault) throw fault.before;
    const result = apply();
    if (fault && 'after' in fault) throw fault.after;
    return result;
  }
}
