import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateLoad, type LoadClock } from '../../src/traffic/index.js';

/** A virtual clock: sleepers wake in time order, one per macrotask, so workers interleave as in real time. */
function virtualClock(): LoadClock & { t: number } {
  const queue: { at: number; wake: () => void }[] = [];
  const pump = () => {
    queue.sort((a, b) => a.at - b.at);
    const next = queue.shift();
    if (!next) return;
    clock.t = Math.max(clock.t, next.at);
    next.wake();
    if (queue.length) setImmediate(pump);
  };
  const clock = {
    t: 0,
    now: () => clock.t,
    sleep: (ms: number) =>
      new Promise<void>((wake) => {
        queue.push({ at: clock.t + ms, wake });
        if (queue.length === 1) setImmediate(pump);
      }),
  };
  return clock;
}

describe('load generator', () => {
  it('sends exactly `requests` with `concurrency` workers', async () => {
    let inFlight = 0;
    let peak = 0;
    const run = await generateLoad({
      concurrency: 3,
      qps: 0,
      requests: 30,
      send: async () => {
        peak = Math.max(peak, ++inFlight);
        await new Promise((r) => setTimeout(r, 2));
        inFlight--;
        return { status: 200, headers: {}, body: '', latencyMs: 2 };
      },
    });
    assert.equal(run.responses.length, 30);
    assert.equal(peak, 3);
  });

  it('paces a total qps on a uniform schedule', async () => {
    const clock = virtualClock();
    const starts: number[] = [];
    await generateLoad({ concurrency: 2, qps: 10, requests: 5, clock, send: async () => (starts.push(clock.now()), { status: 200, headers: {}, body: '', latencyMs: 0 }) });
    assert.deepEqual(starts.sort((a, b) => a - b), [0, 100, 200, 300, 400]);
  });

  it('runs for a duration', async () => {
    const clock = virtualClock();
    const run = await generateLoad({ concurrency: 1, qps: 20, durationMs: 1000, clock, send: async () => ({ status: 200, headers: {}, body: '', latencyMs: 0 }) });
    assert.equal(run.responses.length, 20);
  });
});
