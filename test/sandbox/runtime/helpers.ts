// Test helpers: a real Registry over an ObjectStore with the pod runtime (kubelet) started on it,
// an EventRecorder that writes core/v1 Events through the registry, and small polling/IO utilities.
import { Writable } from 'node:stream';
import { Registry } from '../../../src/sandbox/api/registry.js';
import type { ResourceType } from '../../../src/sandbox/api/resource-types.js';
import { defaultSandboxConfig, type ControllerContext, type EventRecorder, type SandboxConfig } from '../../../src/sandbox/controllers/controller.js';
import { createSeededRandom, systemClock } from '../../../src/sandbox/runtime/determinism.js';
import { createPodRuntime, type KubeletOptions, type SandboxPodRuntime } from '../../../src/sandbox/runtime/index.js';
import { ObjectStore } from '../../../src/sandbox/store/object-store.js';
import type { ExecStreams, KubeObject } from '../../../src/sandbox/types.js';

/** A started runtime over an in-memory registry. */
export interface RuntimeHarness {
  registry: Registry;
  runtime: SandboxPodRuntime;
  ctx: ControllerContext;
  pods: ResourceType;
  /** Creates a pod in `default` with the given containers (and optional extra spec fields). */
  createPod(name: string, spec: Record<string, any>, metadata?: Record<string, any>): KubeObject;
  /** The pod as stored now, or undefined. */
  pod(name: string): KubeObject | undefined;
  /** Events recorded about `name` (reason: message). */
  events(name: string): { type: string; reason: string; message: string; component: string }[];
  /** Every version of pod `name` the store has committed so far (survives slow polling). */
  history(name: string): KubeObject[];
  /** Waits until the pod satisfies `predicate` (polling), failing after `timeoutMs`. */
  waitForPod(name: string, predicate: (pod: KubeObject | undefined) => boolean, timeoutMs?: number): Promise<KubeObject | undefined>;
  stop(): void;
}

/** Fast timings for tests (overridable). */
export const testConfig: SandboxConfig = { ...defaultSandboxConfig, podStartDelayMs: 40, podReadyDelayMs: 40, maxGraceMs: 150 };

/** Starts the kubelet over a fresh store with the `default` namespace. */
export function startRuntime(config: Partial<SandboxConfig> = {}, options: KubeletOptions = {}): RuntimeHarness {
  const registry = new Registry(new ObjectStore(), systemClock, createSeededRandom(7));
  const type = (resource: string) => registry.types.byResource('', 'v1', resource)!;
  registry.create(type('namespaces'), undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  const ctx: ControllerContext = { registry, clock: systemClock, random: createSeededRandom(11), config: { ...testConfig, ...config }, events: createTestEventRecorder(registry) };
  const runtime = createPodRuntime(ctx, options);
  runtime.controller.start(ctx);
  const pods = type('pods');
  const pod = (name: string) => registry.find(pods, 'default', name);
  const versions: KubeObject[] = [];
  registry.store.subscribe((e) => {
    if (e.key === '/pods' && e.type !== 'DELETED') versions.push(structuredClone(e.object));
  });
  return {
    registry,
    runtime,
    ctx,
    pods,
    createPod: (name, spec, metadata = {}) => registry.create(pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name, ...metadata }, spec }),
    pod,
    history: (name) => versions.filter((p) => p.metadata.name === name),
    events: (name) =>
      registry
        .list(type('events'), 'default')
        .filter((e) => e.involvedObject?.name === name)
        .map((e) => ({ type: e.type, reason: e.reason, message: e.message, component: e.source?.component })),
    async waitForPod(name, predicate, timeoutMs = 2000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const current = pod(name);
        if (predicate(current)) return current;
        if (Date.now() > deadline) throw new Error(`timed out waiting for pod ${name}: ${JSON.stringify(current?.status ?? null)}`);
        await sleep(5);
      }
    },
    stop: () => runtime.controller.stop(),
  };
}

/** Writes Events through the registry, as the real recorder would (minus aggregation). */
export function createTestEventRecorder(registry: Registry): EventRecorder {
  let seq = 0;
  return {
    record(obj, type, reason, message, component = 'test') {
      const ns = obj.metadata.namespace ?? 'default';
      registry.create(registry.types.byResource('', 'v1', 'events')!, ns, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${obj.metadata.name}.${(++seq).toString(16).padStart(16, '0')}`, namespace: ns },
        involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: ns, uid: obj.metadata.uid },
        type,
        reason,
        message,
        source: { component },
      });
    },
  };
}

/** A container spec. */
export function container(name: string, image: string, extra: Record<string, any> = {}): Record<string, any> {
  return { name, image, ...extra };
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A Writable that collects what is written to it as text. */
export function collector(): Writable & { text(): string } {
  const chunks: Buffer[] = [];
  const w = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(Buffer.from(chunk));
      cb();
    },
  });
  return Object.assign(w, { text: () => Buffer.concat(chunks).toString('utf8') });
}

/** Runs `argv` through an exec handler; returns the exit code and the collected output. */
export async function runExec(
  handler: (argv: string[], streams: ExecStreams) => Promise<number>,
  argv: string[],
  opts: { tty?: boolean; stdin?: NodeJS.ReadableStream; signal?: AbortSignal } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = collector();
  const stderr = opts.tty ? stdout : collector();
  const code = await handler(argv, { stdout, stderr, stdin: opts.stdin, tty: opts.tty ?? false, signal: opts.signal ?? new AbortController().signal });
  return { code, stdout: stdout.text(), stderr: opts.tty ? '' : stderr.text() };
}
