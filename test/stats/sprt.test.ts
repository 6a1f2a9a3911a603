import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ProportionSprt, SequentialProportionTest, REST_BUCKET } from '../../src/stats/index.js';

const options = { delta: 0.1, alphaPerSide: 0.00025, beta: 0.005 };

describe('one-proportion SPRT', () => {
  it('rejects an expected 0 % on the first observation in the bucket', () => {
    const t = new ProportionSprt({ p0: 0, ...options });
    for (let i = 0; i < 20; i++) assert.equal(t.observe(false), 'continue');
    assert.equal(t.observe(true), 'reject');
    assert.equal(t.rejectedAlternative, 0.1);
  });

  it('accepts an expected 0 % once (1 − δ)^n ≤ β', () => {
    const t = new ProportionSprt({ p0: 0, ...options });
    let n = 0;
    while (t.observe(false) === 'continue') n++;
    assert.equal(n + 1, Math.ceil(Math.log(0.005) / Math.log(0.9)));
  });

  it('rejects an expected 100 % on the first observation outside the bucket', () => {
    const t = new ProportionSprt({ p0: 1, ...options });
    assert.equal(t.observe(true), 'continue');
    assert.equal(t.observe(false), 'reject');
  });

  it('keeps watching for rejection after one side accepted', () => {
    const t = new ProportionSprt({ p0: 0.5, ...options });
    for (let i = 0; i < 60; i++) t.observe(i % 2 === 0);
    assert.equal(t.state, 'continue');
    for (let i = 0; i < 200; i++) t.observe(true);
    assert.equal(t.state, 'reject');
  });

  it('drops the side that would leave [0, 1] (p0 = 5 %, δ = 10 points)', () => {
    const t = new ProportionSprt({ p0: 0.05, ...options });
    let n = 0;
    while (t.observe(n % 20 === 0) === 'continue') n++;
    assert.equal(t.state, 'accept');
  });
});

describe('proportions test', () => {
  it('fails a split at once when a response lands outside the named buckets', () => {
    const t = new SequentialProportionTest({ expected: { v1: 0.75, v2: 0.25 }, exhaustive: true, delta: 0.1, alpha: 0.001, maxRequests: 1000 });
    t.observe('v1');
    assert.equal(t.observe('other'), 'fail');
    const v = t.verdict();
    assert.deepEqual(v.deviating, [REST_BUCKET]);
    assert.equal(v.buckets.find((b) => b.bucket === 'other')?.expected, 0);
  });

  it('ignores unnamed buckets in a mix', () => {
    const t = new SequentialProportionTest({ expected: { '500': 0.5 }, exhaustive: false, delta: 0.1, alpha: 0.001, maxRequests: 1000 });
    for (let i = 0; i < 10; i++) assert.equal(t.observe(i % 2 ? '500' : '200'), 'continue');
  });

  it('settles at the cap with the exact test', () => {
    const pass = new SequentialProportionTest({ expected: { slow: 0.5 }, exhaustive: false, delta: 0.2, alpha: 0.001, maxRequests: 20 });
    for (let i = 0; i < 20; i++) pass.observe(i % 2 ? 'slow' : 'fast');
    assert.deepEqual([pass.verdict().decision, pass.verdict().decidedBy], ['pass', 'cap']);
    const fail = new SequentialProportionTest({ expected: { slow: 0.5 }, exhaustive: false, delta: 0.2, alpha: 0.001, maxRequests: 20 });
    for (let i = 0; i < 20; i++) fail.observe('fast');
    assert.equal(fail.verdict().decision, 'fail');
  });

  it('reports Wilson intervals for every bucket', () => {
    const t = new SequentialProportionTest({ expected: { v1: 0.5, v2: 0.5 }, exhaustive: true, delta: 0.1, alpha: 0.001, maxRequests: 1000 });
    for (let i = 0; i < 10; i++) t.observe(i < 5 ? 'v1' : 'v2');
    const b = t.verdict().buckets.find((x) => x.bucket === 'v1')!;
    assert.equal(b.observed, 0.5);
    assert.ok(b.interval[0] < 0.5 && b.interval[1] > 0.5);
  });
});
