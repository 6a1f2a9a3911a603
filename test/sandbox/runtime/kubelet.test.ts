// Kubelet emulation over a real Registry: scheduling, Pending → Running → Ready, init containers,
// events, job completion, and graceful / immediate deletion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WorkloadModel } from '../../../src/sandbox/workloads/index.js';
import { container, sleep, startRuntime } from './helpers.js';

const httpbin = container('httpbin', 'docker.io/kennethreitz/httpbin', { ports: [{ containerPort: 80 }] });
const condition = (pod: any, type: string) => pod?.status?.conditions?.find((c: any) => c.type === type)?.status;

test('a pod is scheduled, started after podStartDelayMs and ready after podReadyDelayMs', async (t) => {
  const h = startRuntime({ podStartDelayMs: 80, podReadyDelayMs: 80 });
  t.after(() => h.stop());
  const created = Date.now();
  h.createPod('web', { containers: [httpbin] }, { labels: { app: 'web', version: 'v1' } });
  assert.equal(h.pod('web')!.spec.nodeName, undefined);

  await h.waitForPod('web', (p) => p?.status?.phase === 'Running');
  assert.ok(Date.now() - created >= 75, 'containers start no earlier than podStartDelayMs');
  const running = h.history('web').find((p) => p.status?.phase === 'Running');
  const pending = h.history('web').find((p) => p.status?.containerStatuses !== undefined);
  assert.equal(pending!.spec.nodeName, 'istio-lab-control-plane');
  assert.equal(pending!.status.phase, 'Pending');
  assert.equal(pending!.status.podIP, undefined);
  assert.deepEqual(pending!.status.containerStatuses[0].state, { waiting: { reason: 'ContainerCreating' } });
  assert.equal(condition(pending, 'PodScheduled'), 'True');

  const s = running!.status;
  assert.match(s.podIP, /^10\.244\.\d+\.\d+$/);
  assert.deepEqual(s.podIPs, [{ ip: s.podIP }]);
  assert.equal(s.hostIP, '127.0.0.1');
  assert.ok(s.startTime);
  const cs = s.containerStatuses[0];
  assert.equal(cs.name, 'httpbin');
  assert.equal(cs.image, 'docker.io/kennethreitz/httpbin:latest');
  assert.match(cs.imageID, /^docker\.io\/kennethreitz\/httpbin@sha256:[0-9a-f]{64}$/);
  assert.match(cs.containerID, /^containerd:\/\/[0-9a-f]{64}$/);
  assert.deepEqual([cs.ready, cs.started, cs.restartCount], [false, true, 0]);
  assert.ok(cs.state.running.startedAt);
  assert.equal(condition(running, 'Ready'), 'False');

  const ready = await h.waitForPod('web', (p) => condition(p, 'Ready') === 'True');
  assert.deepEqual(
    ready!.status.conditions.map((c: any) => [c.type, c.status]),
    [
      ['PodReadyToStartContainers', 'True'],
      ['Initialized', 'True'],
      ['Ready', 'True'],
      ['ContainersReady', 'True'],
      ['PodScheduled', 'True'],
    ],
  );
  assert.equal(ready!.status.containerStatuses[0].ready, true);
  assert.equal(ready!.metadata.managedFields?.some((f) => f.manager === 'kubelet' && f.subresource === 'status'), true);
});

test('pods get unique, deterministic addresses and the node is registered', async (t) => {
  const h = startRuntime();
  t.after(() => h.stop());
  for (const name of ['a', 'b', 'c']) h.createPod(name, { containers: [httpbin] });
  const ips = [];
  for (const name of ['a', 'b', 'c']) ips.push((await h.waitForPod(name, (p) => !!p?.status?.podIP))!.status.podIP);
  assert.deepEqual(ips, ['10.244.0.2', '10.244.0.3', '10.244.0.4']);
  const node = h.registry.find(h.registry.types.byResource('', 'v1', 'nodes')!, undefined, 'istio-lab-control-plane');
  assert.equal(node?.status?.conditions?.find((c: any) => c.type === 'Ready')?.status, 'True');
});

test('init containers complete before app containers start; events are recorded', async (t) => {
  const h = startRuntime();
  t.after(() => h.stop());
  h.createPod('sidecar', {
    initContainers: [container('istio-init', 'docker.io/istio/proxyv2:1.24.0', { args: ['istio-iptables', '-p', '15001'] })],
    // An image no model knows, so the EmulatedImage warning is exercised too.
    containers: [container('httpbin', 'docker.io/example/unmodelled-app', { ports: [{ containerPort: 80 }] }), container('istio-proxy', 'docker.io/istio/proxyv2:1.24.0', { args: ['proxy', 'sidecar'] })],
  });
  const ready = await h.waitForPod('sidecar', (p) => condition(p, 'Ready') === 'True');
  const initializing = h.history('sidecar').find((p) => p.status?.initContainerStatuses !== undefined);
  assert.deepEqual(initializing!.status.initContainerStatuses[0].state, { waiting: { reason: 'PodInitializing' } });
  assert.deepEqual(initializing!.status.containerStatuses[0].state, { waiting: { reason: 'PodInitializing' } });
  assert.equal(condition(initializing, 'Initialized'), 'False');
  const init = ready!.status.initContainerStatuses[0];
  assert.equal(init.state.terminated.reason, 'Completed');
  assert.equal(init.state.terminated.exitCode, 0);
  assert.equal(init.ready, true);
  assert.deepEqual(ready!.status.containerStatuses.map((c: any) => [c.name, c.ready]), [['httpbin', true], ['istio-proxy', true]]);

  const events = h.events('sidecar');
  const messages = events.map((e) => `${e.component} ${e.type} ${e.reason}: ${e.message}`);
  assert.deepEqual(messages.slice(0, 4), [
    'default-scheduler Normal Scheduled: Successfully assigned default/sidecar to istio-lab-control-plane',
    'kubelet Normal Pulled: Container image "docker.io/istio/proxyv2:1.24.0" already present on machine',
    'kubelet Normal Created: Created container istio-init',
    'kubelet Normal Started: Started container istio-init',
  ]);
  const warnings = events.filter((e) => e.type === 'Warning');
  assert.deepEqual(warnings, [
    {
      type: 'Warning',
      reason: 'EmulatedImage',
      message: 'image docker.io/example/unmodelled-app is not modelled by the sandbox; running a generic echo server in its place',
      component: 'kubelet',
    },
  ]);
});

test('a pod whose model exits goes to Succeeded and is deleted at once', async (t) => {
  const job: WorkloadModel = {
    name: 'job',
    create: (ctx) => ({
      async start() {
        ctx.log('working');
        return 0;
      },
    }),
  };
  const h = startRuntime({}, { models: { 'example/job': job } });
  t.after(() => h.stop());
  h.createPod('batch', { restartPolicy: 'Never', containers: [container('main', 'example/job:1')] });
  const done = await h.waitForPod('batch', (p) => p?.status?.phase === 'Succeeded');
  const term = done!.status.containerStatuses[0].state.terminated;
  assert.deepEqual([term.exitCode, term.reason], [0, 'Completed']);
  assert.equal(done!.status.conditions.find((c: any) => c.type === 'Ready').reason, 'PodCompleted');
  assert.equal(h.events('batch').some((e) => e.reason === 'EmulatedImage'), false);
  const { removed } = h.registry.delete(h.pods, 'default', 'batch');
  assert.equal(removed, true);
});

test('graceful deletion keeps the pod terminating for min(grace, maxGraceMs), then removes it', async (t) => {
  const h = startRuntime({ maxGraceMs: 300 });
  t.after(() => h.stop());
  h.createPod('web', { terminationGracePeriodSeconds: 5, containers: [httpbin] });
  await h.waitForPod('web', (p) => p?.status?.phase === 'Running');
  const started = Date.now();
  const { object, removed } = h.registry.delete(h.pods, 'default', 'web');
  assert.equal(removed, false);
  assert.ok(object.metadata.deletionTimestamp);
  assert.equal(object.metadata.deletionGracePeriodSeconds, 5);
  await sleep(20);
  assert.ok(h.pod('web'), 'still terminating during the grace period');
  await h.waitForPod('web', (p) => p === undefined);
  assert.ok(Date.now() - started >= 290, 'removed no earlier than maxGraceMs');
  assert.equal(h.events('web').some((e) => e.reason === 'Killing' && e.message === 'Stopping container httpbin'), true);
});

test('grace period 0 removes the pod immediately, also when it is already terminating', async (t) => {
  const h = startRuntime({ maxGraceMs: 10_000 });
  t.after(() => h.stop());
  h.createPod('now', { containers: [httpbin] });
  h.createPod('later', { containers: [httpbin] });
  await h.waitForPod('later', (p) => p?.status?.phase === 'Running');
  assert.equal(h.registry.delete(h.pods, 'default', 'now', { gracePeriodSeconds: 0 }).removed, true);
  assert.equal(h.pod('now'), undefined);

  assert.equal(h.registry.delete(h.pods, 'default', 'later').removed, false);
  assert.equal(h.pod('later')!.metadata.deletionGracePeriodSeconds, 30);
  assert.equal(h.registry.delete(h.pods, 'default', 'later', { gracePeriodSeconds: 0 }).removed, true);
  assert.equal(h.pod('later'), undefined);
});

test('a pod that does not fit the node stays unscheduled and is deleted immediately', async (t) => {
  const h = startRuntime();
  t.after(() => h.stop());
  h.createPod('picky', { nodeSelector: { disktype: 'ssd' }, containers: [httpbin] });
  await sleep(100);
  assert.equal(h.pod('picky')!.spec.nodeName, undefined);
  assert.equal(h.registry.delete(h.pods, 'default', 'picky').removed, true);
});
