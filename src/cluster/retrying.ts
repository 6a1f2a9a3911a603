// RetryingCluster: a Cluster decorator that rides out flaky API connections. Idempotent calls are
// retried on 5xx, 429 (honouring Retry-After) and connection failures, with exponential backoff,
// full jitter and a bounded budget; writes whose first attempt may have landed are reconciled by
// reading back; watches resume from the last resourceVersion. Other errors surface unchanged.
import type { Cluster, ClusterWatchEvent, ExecResult, KubeObject, ListOptions, ObjectRef, ResourceInfo, TargetInfo } from './types.js';
import { backoffDelay, classifyFailure, defaultRetryPolicy, type RetryPolicy } from './retry-policy.js';
import { watchResuming } from './retrying-watch.js';
import { matchesSent } from './sent-content.js';

/** What the attempts of one call found out. */
interface Trace {
  /** A failed attempt may have been applied before a later attempt ran. */
  mayHaveLanded: boolean;
}

/** Retries a wrapped Cluster's calls; see the TSDoc of each method for its rule. */
export class RetryingCluster implements Cluster {
  /** Retries made so far, watch reopenings included (reported in run summaries). */
  retries = 0;
  private readonly policy: RetryPolicy;

  constructor(
    private readonly inner: Cluster,
    policy: Partial<RetryPolicy> = {},
  ) {
    this.policy = { ...defaultRetryPolicy, ...policy };
  }

  /** The wrapped cluster's target. */
  get target(): TargetInfo {
    return this.inner.target;
  }

  /** The wrapped cluster's REST client, if it has one (its request count goes in run summaries). */
  get rest(): unknown {
    return (this.inner as { rest?: unknown }).rest;
  }

  /** Discovery: retried. */
  resource(apiVersion: string, kind: string): Promise<ResourceInfo> {
    return this.run('discovery', () => this.inner.resource(apiVersion, kind));
  }

  /** Server version: retried. */
  version(): Promise<string> {
    return this.run('version', () => this.inner.version());
  }

  /** Read: retried. */
  get(ref: ObjectRef): Promise<KubeObject | undefined> {
    return this.run('get', () => this.inner.get(ref));
  }

  /** List: retried. */
  list(apiVersion: string, kind: string, opts?: ListOptions): Promise<{ items: KubeObject[]; resourceVersion: string }> {
    return this.run('list', () => this.inner.list(apiVersion, kind, opts));
  }

  /** Create: retried; a 409 AlreadyExists after an attempt that may have landed is success when the object read back holds what was sent. */
  async create(obj: KubeObject, opts?: { fieldManager?: string }): Promise<KubeObject> {
    const trace: Trace = { mayHaveLanded: false };
    try {
      return await this.run('create', () => this.inner.create(obj, opts), trace);
    } catch (err) {
      if (trace.mayHaveLanded && statusOf(err) === 409) {
        const current = await this.get(refOf(obj));
        if (current && matchesSent(current, obj)) return current;
      }
      throw err;
    }
  }

  /** Replace: retried; when conditional (resourceVersion set), a 409 Conflict after an attempt that may have landed is success when the object read back holds what was sent. */
  async replace(obj: KubeObject, opts?: { fieldManager?: string }): Promise<KubeObject> {
    const trace: Trace = { mayHaveLanded: false };
    try {
      return await this.run('replace', () => this.inner.replace(obj, opts), trace);
    } catch (err) {
      if (obj.metadata.resourceVersion && trace.mayHaveLanded && statusOf(err) === 409) {
        const current = await this.get(refOf(obj));
        if (current && matchesSent(current, obj)) return current;
      }
      throw err;
    }
  }

  /** Server-side apply is idempotent: retried. */
  apply(obj: KubeObject, opts: { fieldManager: string; force?: boolean; dryRun?: boolean }): Promise<KubeObject> {
    return this.run('apply', () => this.inner.apply(obj, opts));
  }

  /** Merge and strategic patches (and JSON patches of only test/replace ops) are retried; other JSON patches only when the failure proves the patch was not applied (429, 503, refused). */
  patch(ref: ObjectRef, patch: unknown, type: 'merge' | 'json' | 'strategic', opts?: { fieldManager?: string }): Promise<KubeObject> {
    const idempotent = type !== 'json' || (Array.isArray(patch) && patch.every((op) => op?.op === 'test' || op?.op === 'replace'));
    return this.run('patch', () => this.inner.patch(ref, patch, type, opts), { mayHaveLanded: false }, idempotent);
  }

  /** Delete: retried; "already gone" (404) after an attempt that may have landed counts as deleted, as does a 409 while the object read back is terminating. */
  async delete(ref: ObjectRef, opts?: { propagationPolicy?: 'Background' | 'Foreground' | 'Orphan' }): Promise<boolean> {
    const trace: Trace = { mayHaveLanded: false };
    try {
      return (await this.run('delete', () => this.inner.delete(ref, opts), trace)) || trace.mayHaveLanded;
    } catch (err) {
      if (trace.mayHaveLanded && statusOf(err) === 409) {
        const current = await this.get(ref);
        if (!current || current.metadata.deletionTimestamp) return true;
      }
      throw err;
    }
  }

  /**
   * Watch, reopening dropped streams from the last resourceVersion seen, so the caller gets every
   * event once and in order. On 410 Gone the watch resolves (the ERROR event is not forwarded)
   * and the caller must relist, as it does whenever a watch resolves (waits/watch.ts): no
   * synthetic events are invented, because only the caller knows the state it listed.
   */
  watch(apiVersion: string, kind: string, opts: ListOptions & { resourceVersion?: string }, onEvent: (e: ClusterWatchEvent) => void, signal: AbortSignal): Promise<void> {
    return watchResuming(this.inner, this.policy, () => this.retries++, { apiVersion, kind, opts, onEvent, signal });
  }

  /** Exec: retried only when the connection failed before the command started (the wrapped exec rejects only then; afterwards it resolves with an ExecResult). */
  exec(namespace: string, pod: string, container: string | undefined, argv: string[], opts?: { stdin?: string; timeoutMs?: number }): Promise<ExecResult> {
    return this.run('exec', () => this.inner.exec(namespace, pod, container, argv, opts));
  }

  /** Logs: retried. */
  logs(namespace: string, pod: string, container?: string, opts?: { sinceTime?: string; tailLines?: number }): Promise<string> {
    return this.run('logs', () => this.inner.logs(namespace, pod, container, opts));
  }

  /** Port-forward: retried only when setting it up failed (each forwarded connection is the caller's). */
  portForward(namespace: string, pod: string, port: number): Promise<{ localPort: number; close(): Promise<void> }> {
    return this.run('port-forward', () => this.inner.portForward(namespace, pod, port));
  }

  /** Release the wrapped cluster's connections. */
  close(): void {
    this.inner.close();
  }

  /** Call `fn` until it succeeds, fails for good, or the policy allows no more attempts; throws the last error unchanged. */
  private async run<T>(call: string, fn: () => Promise<T>, trace: Trace = { mayHaveLanded: false }, retryIfLanded = true): Promise<T> {
    const p = this.policy;
    const started = p.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const failure = classifyFailure(err);
        if (!failure.retryable || (failure.mayHaveLanded && !retryIfLanded) || attempt >= p.maxAttempts || p.signal?.aborted) throw err;
        const delayMs = backoffDelay(attempt, failure, p);
        if (p.now() - started + delayMs > p.budgetMs) throw err;
        trace.mayHaveLanded ||= failure.mayHaveLanded;
        this.retries++;
        p.onRetry?.({ call, attempt, delayMs, error: err });
        await p.sleep(delayMs, p.signal);
        if (p.signal?.aborted) throw err;
      }
    }
  }
}

function statusOf(err: unknown): number | undefined {
  return classifyFailure(err).status;
}

function refOf(obj: KubeObject): ObjectRef {
  return { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name!, namespace: obj.metadata.namespace };
}
