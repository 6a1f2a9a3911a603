import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { countAttempt } from '../../src/probes/attempts.js';
import { createContext, createFakeCluster } from './helpers.js';

describe('attempt counting', () => {
  it('counts attempts per check within a step, and starts again in the next step', () => {
    const cluster = createFakeCluster([]);
    const step1 = createContext(cluster);
    const a = {};
    const b = {};
    assert.deepEqual([countAttempt(step1, a), countAttempt(step1, a), countAttempt(step1, b)], [1, 2, 1]);
    assert.equal(countAttempt(createContext(cluster), a), 1);
  });
});
