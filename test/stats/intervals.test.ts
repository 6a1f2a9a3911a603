import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clopperPearsonInterval, normalQuantile, quantile, summarizeLatencies, wilsonInterval } from '../../src/stats/index.js';

const close = (a: number, b: number, eps = 1e-3) => assert.ok(Math.abs(a - b) < eps, `${a} ≉ ${b}`);

describe('confidence intervals', () => {
  it('normal quantiles', () => {
    close(normalQuantile(0.975), 1.959964, 1e-6);
    close(normalQuantile(0.5), 0, 1e-9);
    close(normalQuantile(0.001), -3.090232, 1e-6);
  });

  it('Wilson matches published values', () => {
    const [lo, hi] = wilsonInterval(5, 10);
    close(lo, 0.2366);
    close(hi, 0.7634);
    const [lo0, hi0] = wilsonInterval(0, 20);
    assert.equal(lo0, 0);
    close(hi0, 0.1611);
    assert.deepEqual(wilsonInterval(0, 0), [0, 1]);
  });

  it('Clopper–Pearson matches published values', () => {
    const [lo, hi] = clopperPearsonInterval(5, 10);
    close(lo, 0.1871);
    close(hi, 0.8129);
    const [lo0, hi0] = clopperPearsonInterval(0, 10);
    assert.equal(lo0, 0);
    close(hi0, 0.3085);
    assert.equal(clopperPearsonInterval(10, 10)[1], 1);
  });
});

describe('percentiles', () => {
  it('interpolates between closest ranks', () => {
    assert.equal(quantile([1, 2, 3, 4, 5], 0.5), 3);
    assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
    assert.equal(quantile([10], 0.99), 10);
    assert.ok(Number.isNaN(quantile([], 0.5)));
  });

  it('summarizes latencies', () => {
    const s = summarizeLatencies(Array.from({ length: 100 }, (_, i) => i + 1));
    assert.equal(s.count, 100);
    assert.equal(s.min, 1);
    assert.equal(s.max, 100);
    close(s.p50, 50.5);
    close(s.p99, 99.01);
  });
});
