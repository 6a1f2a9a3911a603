import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { binomialCdf, binomialPmf, binomialSf, exactRejectionRegion, exactTestPower, fixedSampleSize, rejectsExact } from '../../src/stats/index.js';

describe('binomial arithmetic', () => {
  it('pmf sums to 1 and matches known values', () => {
    const sum = Array.from({ length: 21 }, (_, k) => binomialPmf(k, 20, 0.3)).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-12);
    assert.ok(Math.abs(binomialPmf(5, 10, 0.5) - 0.24609375) < 1e-12);
    assert.equal(binomialPmf(0, 10, 0), 1);
    assert.equal(binomialPmf(10, 10, 1), 1);
    assert.equal(binomialPmf(3, 10, 0), 0);
  });

  it('cdf and survival function agree', () => {
    assert.ok(Math.abs(binomialCdf(4, 10, 0.5) + binomialSf(5, 10, 0.5) - 1) < 1e-12);
    assert.ok(Math.abs(binomialCdf(2, 10, 0.5) - 0.0546875) < 1e-12);
  });

  it('the exact test keeps each tail within alpha/2', () => {
    const { low, high } = exactRejectionRegion(100, 0.25, 0.01);
    assert.ok(binomialCdf(low, 100, 0.25) <= 0.005);
    assert.ok(binomialCdf(low + 1, 100, 0.25) > 0.005);
    assert.ok(binomialSf(high, 100, 0.25) <= 0.005);
    assert.ok(binomialSf(high - 1, 100, 0.25) > 0.005);
    assert.equal(rejectsExact(25, 100, 0.25, 0.01), false);
    assert.equal(rejectsExact(45, 100, 0.25, 0.01), true);
    assert.equal(rejectsExact(1, 100, 0, 0.01), true, 'one observation contradicts an expected 0 %');
  });

  it('finds the fixed sample size with the requested power', () => {
    const n = fixedSampleSize(0.25, 0.1, 0.001, 0.01);
    assert.ok(exactTestPower(n, 0.25, 0.35, 0.001) >= 0.99 && exactTestPower(n, 0.25, 0.15, 0.001) >= 0.99);
    assert.ok(exactTestPower(n - 40, 0.25, 0.35, 0.001) < 0.99, 'and not much more than needed');
    // Normal approximation: ((z_{α/2}√(p0q0) + z_β√(p1q1))/δ)² ≈ 640 for the worse side.
    assert.ok(n > 560 && n < 720, `n = ${n}`);
    assert.equal(fixedSampleSize(0, 0.1, 0.001, 0.01), 44, '0.9^44 < 0.01 ≤ 0.9^43');
  });
});
