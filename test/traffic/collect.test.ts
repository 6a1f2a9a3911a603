import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { collectInOrder, type ObservedResponse } from '../../src/traffic/index.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('in-order collection', () => {
  it('hands responses over in issue order even when later ones finish first', async () => {
    let issued = 0;
    const seen: number[] = [];
    await collectInOrder({
      max: 12,
      batchSize: 1,
      parallel: 4,
      sendBatch: async () => {
        const i = issued++;
        await wait(i % 4 === 0 ? 30 : 1);
        return [{ status: 200, headers: {}, body: String(i), latencyMs: 0 }];
      },
      onResponse: (r) => (seen.push(Number(r.body)), false),
    });
    assert.deepEqual(seen, Array.from({ length: 12 }, (_, i) => i));
  });

  it('stops when told and launches no more batches', async () => {
    let launched = 0;
    const got = await collectInOrder({
      max: 1000,
      batchSize: 10,
      parallel: 2,
      sendBatch: async (count) => {
        launched += count;
        await wait(1);
        return Array.from({ length: count }, (): ObservedResponse => ({ status: 200, headers: {}, body: '', latencyMs: 0 }));
      },
      onResponse: (_r, i) => i === 14,
    });
    assert.equal(got.length, 15);
    assert.ok(launched <= 40, `launched ${launched}`);
  });

  it('caps at max and splits the last batch', async () => {
    const sizes: number[] = [];
    const got = await collectInOrder({
      max: 25,
      batchSize: 10,
      parallel: 3,
      sendBatch: async (count) => (sizes.push(count), Array.from({ length: count }, () => ({ status: 200, headers: {}, body: '', latencyMs: 0 }))),
      onResponse: () => false,
    });
    assert.equal(got.length, 25);
    assert.deepEqual(sizes, [10, 10, 5]);
  });
});
