// Container logs: the bounded ring, and GET pods/<name>/log options (tail, since, timestamps, limit, follow).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContainerLog, formatLogTimestamp, writeContainerLog } from '../../../src/sandbox/runtime/container-log.js';
import type { LogOptions } from '../../../src/sandbox/runtime/pod-runtime.js';
import { collector, container, sleep, startRuntime } from './helpers.js';

/** A clock the test moves by hand. */
function manualClock(start = Date.parse('2025-03-01T10:00:00.000Z')) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

const base: LogOptions = { follow: false, timestamps: false, previous: false };

function logWithLines(clock: ReturnType<typeof manualClock>, lines: string[], stepMs = 1000): ContainerLog {
  const log = new ContainerLog(clock);
  for (const line of lines) {
    log.append(line);
    clock.advance(stepMs);
  }
  return log;
}

async function read(log: ContainerLog, options: Partial<LogOptions>, now: Date): Promise<string> {
  const out = collector();
  await writeContainerLog(log, { ...base, ...options }, now, out, new AbortController().signal);
  return out.text();
}

test('the ring keeps the newest lines and multi-line appends become separate lines', () => {
  const clock = manualClock();
  const log = new ContainerLog(clock, 3);
  log.append('one\ntwo\n');
  log.append('three');
  log.append('four');
  assert.deepEqual(log.lines().map((l) => l.text), ['two', 'three', 'four']);
});

test('tailLines, sinceSeconds, sinceTime and limitBytes select what is written', async () => {
  const clock = manualClock();
  const log = logWithLines(clock, ['l1', 'l2', 'l3', 'l4', 'l5']); // written at +0s .. +4s
  const now = clock.now(); // +5s
  assert.equal(await read(log, {}, now), 'l1\nl2\nl3\nl4\nl5\n');
  assert.equal(await read(log, { tailLines: 2 }, now), 'l4\nl5\n');
  assert.equal(await read(log, { tailLines: 0 }, now), '');
  assert.equal(await read(log, { sinceSeconds: 2 }, now), 'l4\nl5\n');
  assert.equal(await read(log, { sinceTime: '2025-03-01T10:00:02.000000000Z' }, now), 'l3\nl4\nl5\n');
  assert.equal(await read(log, { limitBytes: 7 }, now), 'l1\nl2\nl');
  assert.equal(await read(log, { tailLines: 4, sinceSeconds: 3 }, now), 'l3\nl4\nl5\n');
});

test('timestamps are RFC 3339 with nine fractional digits, as the kubelet writes them', async () => {
  const clock = manualClock(Date.parse('2025-03-01T10:00:00.123Z'));
  const log = logWithLines(clock, ['hello']);
  assert.equal(formatLogTimestamp(new Date('2025-03-01T10:00:00.123Z')), '2025-03-01T10:00:00.123000000Z');
  assert.equal(await read(log, { timestamps: true }, clock.now()), '2025-03-01T10:00:00.123000000Z hello\n');
});

test('follow streams new lines until the signal aborts, or until the log ends', async () => {
  const clock = manualClock();
  const log = logWithLines(clock, ['old']);
  const out = collector();
  const abort = new AbortController();
  const done = writeContainerLog(log, { ...base, follow: true }, clock.now(), out, abort.signal);
  log.append('new 1');
  log.append('new 2');
  await sleep(5);
  assert.equal(out.text(), 'old\nnew 1\nnew 2\n');
  abort.abort();
  await done;
  log.append('after abort');
  assert.equal(out.text(), 'old\nnew 1\nnew 2\n');

  const out2 = collector();
  const done2 = writeContainerLog(log, { ...base, follow: true, tailLines: 1 }, clock.now(), out2, new AbortController().signal);
  log.append('last');
  log.end();
  await done2;
  assert.equal(out2.text(), 'after abort\nlast\n');
});

test('streamLogs serves a running container and ends a follow when the pod is removed', async (t) => {
  const h = startRuntime({ maxGraceMs: 50 });
  t.after(() => h.stop());
  h.createPod('web', { containers: [container('app', 'example.com/unknown/app:v1', { ports: [{ containerPort: 8080 }] })] });
  const pod = (await h.waitForPod('web', (p) => p?.status?.phase === 'Running'))!;
  const once = collector();
  await h.runtime.streamLogs(pod, 'app', { ...base, timestamps: true }, once, new AbortController().signal);
  assert.match(once.text(), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z echo server \(istio-lab sandbox stand-in for example\.com\/unknown\/app:v1\) listening on :8080\n$/);

  const followed = collector();
  const following = h.runtime.streamLogs(pod, 'app', { ...base, follow: true }, followed, new AbortController().signal);
  h.registry.delete(h.pods, 'default', 'web');
  await following; // resolves once the kubelet stops the pod after its (capped) grace period
  assert.match(followed.text(), /listening on :8080\n$/);
  const previous = collector();
  await h.runtime.streamLogs(pod, 'app', { ...base, previous: true }, previous, new AbortController().signal);
  assert.equal(previous.text(), '');
});
