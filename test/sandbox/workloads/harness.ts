// Test seams for workload models and tools: a fake PodNetwork with canned answers (and in-flight
// counting), a ToolContext over the shared program table, a tool runner that collects output, and a
// model runner that serves a model's handler from a real http.Server on 127.0.0.1:0.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import type { MeshResult, PodNetwork } from '../../../src/sandbox/mesh/types.js';
import { createSeededRandom, type Clock } from '../../../src/sandbox/runtime/determinism.js';
import type { ContainerContext, ContainerSpec, ContainerWorkload, WorkloadModel } from '../../../src/sandbox/workloads/model.js';
import { programName, sharedTools, type ExecTool, type ToolContext } from '../../../src/sandbox/workloads/tools/index.js';
import type { KubeObject } from '../../../src/sandbox/types.js';

/** One request the fake network received. */
export interface SentRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: Buffer;
  timeoutMs?: number;
}

/** A fake network: `answer` decides each result; counts requests in flight. */
export interface FakeNetwork extends PodNetwork {
  sent: SentRequest[];
  inFlight: number;
  maxInFlight: number;
}

/** A 200/… response. */
export function reply(status: number, body = '', headers: Record<string, string> = {}): MeshResult {
  return { status, headers: { 'content-type': 'text/plain', server: 'envoy', ...headers }, body: Buffer.from(body) };
}

/** A network whose fetch calls `answer` (optionally after `holdMs`), honouring the abort signal. */
export function fakeNetwork(answer: (req: SentRequest, index: number) => MeshResult | Promise<MeshResult>, holdMs = 0): FakeNetwork {
  const net: FakeNetwork = {
    sent: [],
    inFlight: 0,
    maxInFlight: 0,
    async fetch(_pod, url, init) {
      const req: SentRequest = { url: new URL(url), method: init.method ?? 'GET', headers: init.headers ?? {}, body: init.body, timeoutMs: init.timeoutMs };
      const index = net.sent.push(req) - 1;
      net.inFlight++;
      net.maxInFlight = Math.max(net.maxInFlight, net.inFlight);
      try {
        if (holdMs) {
          const aborted = await new Promise<boolean>((resolve) => {
            const t = setTimeout(() => resolve(false), holdMs);
            init.signal?.addEventListener('abort', () => (clearTimeout(t), resolve(true)), { once: true });
          });
          if (aborted) return { failure: 'reset', message: 'aborted' };
        }
        return await answer(req, index);
      } finally {
        net.inFlight--;
      }
    },
  };
  return net;
}

/** A pod object with one container. */
export function testPod(image = 'curlimages/curl:8.16.0', name = 'client', extra: Partial<ContainerSpec> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: name } }, spec: { containers: [{ name: 'main', image, ...extra }] }, status: { podIP: '10.244.0.7' } };
}

/** A ToolContext over the shared tools. */
export function toolContext(network: PodNetwork, opts: { image?: string; env?: Record<string, string>; files?: Record<string, string> } = {}): ToolContext {
  return {
    pod: testPod(opts.image),
    container: 'main',
    env: { PATH: '/usr/bin:/bin', HOSTNAME: 'client', ...(opts.env ?? {}) },
    files: opts.files ?? {},
    lookup: (arg0) => sharedTools[programName(arg0)],
    network,
  };
}

/** A Writable collecting text. */
export function collector(): Writable & { text(): string } {
  const chunks: Buffer[] = [];
  const w = new Writable({
    write(chunk, _e, cb) {
      chunks.push(Buffer.from(chunk));
      cb();
    },
  });
  return Object.assign(w, { text: () => Buffer.concat(chunks).toString('utf8') });
}

/** Runs a program (`argv[0]` looked up in the shared table) and collects its output. */
export async function runTool(ctx: ToolContext, argv: string[], opts: { stdin?: string; tty?: boolean; signal?: AbortSignal } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const tool: ExecTool | undefined = ctx.lookup(argv[0]);
  if (!tool) throw new Error(`no tool ${argv[0]}`);
  const stdout = collector();
  const stderr = collector();
  let stdin: PassThrough | undefined;
  if (opts.stdin !== undefined) {
    stdin = new PassThrough();
    stdin.end(opts.stdin);
  }
  const code = await tool(argv, { stdout, stderr, stdin, tty: opts.tty ?? false, signal: opts.signal ?? new AbortController().signal }, ctx);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** `sh -c line`. */
export const sh = (ctx: ToolContext, line: string, opts: { stdin?: string; signal?: AbortSignal } = {}) => runTool(ctx, ['sh', '-c', line], opts);

/** A fixed clock. */
export const fixedClock = (iso = '2025-07-16T17:17:09.847Z'): Clock => ({ now: () => new Date(iso) });

/** A started model container: its workload, log lines, and an HTTP client for one of its ports. */
export interface RunningModel {
  workload: ContainerWorkload;
  logs: string[];
  stop: AbortController;
  exit?: Promise<number>;
  /** Serves the handler of `port` on 127.0.0.1:0 (throws when nothing listens there). */
  serve(port: number): Promise<Server & { url: string }>;
}

/** Creates and starts `model` for a container spec. */
export function startModel(model: WorkloadModel, container: ContainerSpec, opts: { env?: Record<string, string>; network?: PodNetwork; seed?: number; clock?: Clock; podName?: string } = {}): RunningModel {
  const logs: string[] = [];
  const stop = new AbortController();
  const pod = testPod(container.image, opts.podName ?? 'server-7d9f8b6c5-x2x4z', container);
  const ctx: ContainerContext = {
    pod,
    container,
    init: false,
    env: { HOSTNAME: pod.metadata.name!, ...(opts.env ?? {}) },
    clock: opts.clock ?? fixedClock(),
    random: createSeededRandom(opts.seed ?? 1),
    log: (line) => logs.push(line),
    signal: stop.signal,
    network: opts.network ?? fakeNetwork(() => ({ failure: 'connect-refused', message: 'no network' })),
  };
  const workload = model.create(ctx);
  const started = workload.start?.();
  const servers: Server[] = [];
  stop.signal.addEventListener('abort', () => servers.forEach((s) => s.close()));
  return {
    workload,
    logs,
    stop,
    exit: started instanceof Promise ? started : undefined,
    async serve(port) {
      const handler = workload.httpHandler?.(port);
      if (!handler) throw new Error(`nothing listens on ${port}`);
      const server = createServer(handler);
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return Object.assign(server, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    },
  };
}

/** A plain HTTP request with Node's client; returns status, headers and body text. */
export function httpGet(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers, signal: opts.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Waits until `predicate` holds (polling), failing after `ms`. */
export async function eventually(predicate: () => boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
