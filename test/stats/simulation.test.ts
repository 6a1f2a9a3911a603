// Seeded simulation of the traffic verdict: false failures at the true split stay ≤ 1 %, and
// 10-point deviations are detected ≥ 99 % of the time (schema defaults: tolerance 5 → δ = 10
// points, falseFailureRate 0.001, maxRequests 1000). Thousands of runs, well under 10 s.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { betaForAttempt, createRandom, simulateMany, simulateRun, type ProportionTestOptions } from '../../src/stats/index.js';

const RUNS = 2000;
const base = { delta: 0.1, maxRequests: 1000 };
type Case = { name: string; expected: Record<string, number>; deviations: Record<string, number>[]; exhaustive?: boolean };

const cases: Case[] = [
  { name: '75/25', expected: { v1: 0.75, v2: 0.25 }, deviations: [{ v1: 0.65, v2: 0.35 }, { v1: 0.85, v2: 0.15 }] },
  { name: '50/50', expected: { v1: 0.5, v2: 0.5 }, deviations: [{ v1: 0.6, v2: 0.4 }] },
  { name: '80/20', expected: { v1: 0.8, v2: 0.2 }, deviations: [{ v1: 0.9, v2: 0.1 }, { v1: 0.7, v2: 0.3 }] },
  { name: '100/0', expected: { v1: 1, v2: 0 }, deviations: [{ v1: 0.9, v2: 0.1 }] },
  { name: '50/30/20', expected: { v1: 0.5, v2: 0.3, v3: 0.2 }, deviations: [{ v1: 0.6, v2: 0.2, v3: 0.2 }, { v1: 0.5, v2: 0.4, v3: 0.1 }, { v1: 0.4, v2: 0.3, v3: 0.3 }] },
  { name: 'mix 50 % 500', expected: { '500': 0.5 }, exhaustive: false, deviations: [{ '500': 0.4, '200': 0.6 }, { '500': 0.6, '200': 0.4 }] },
];

function truthOf(c: Case): Record<string, number> {
  return c.exhaustive === false ? { ...c.expected, '200': 1 - Object.values(c.expected).reduce((a, b) => a + b, 0) } : c.expected;
}

describe('sequential proportions test (simulation)', () => {
  for (const alpha of [0.001, 0.01]) {
    for (const [i, c] of cases.entries()) {
      const options: ProportionTestOptions = { ...base, alpha, expected: c.expected, exhaustive: c.exhaustive ?? true };
      it(`${c.name}, α = ${alpha}: false failures ≤ ${Math.max(alpha, 0.01) * 100} % at the true split`, () => {
        const s = simulateMany(options, truthOf(c), RUNS, createRandom(1000 + i));
        // α plus three standard errors of the estimate; the measured rate is reported by the bench.
        assert.ok(s.failureRate <= Math.min(0.01, alpha + 3 * Math.sqrt((alpha * (1 - alpha)) / RUNS)), `false-failure rate ${s.failureRate}`);
      });
      it(`${c.name}, α = ${alpha}: detects 10-point deviations ≥ 99 %`, () => {
        for (const [j, truth] of c.deviations.entries()) {
          const s = simulateMany(options, truth, RUNS, createRandom(2000 + 10 * i + j));
          assert.ok(s.failureRate >= 0.99, `detection ${s.failureRate} at ${JSON.stringify(truth)}`);
        }
      });
    }
  }

  it('a latency share (50 % slower than a bound, cap 40) fails when nothing is slow', () => {
    const options: ProportionTestOptions = { expected: { slow: 0.5 }, exhaustive: false, delta: 0.2, alpha: 0.001, maxRequests: 40 };
    assert.ok(simulateMany(options, { slow: 0.5, fast: 0.5 }, RUNS, createRandom(7)).failureRate <= 0.01);
    assert.equal(simulateMany(options, { fast: 1 }, 200, createRandom(8)).failureRate, 1);
  });

  it('retries spend the miss rate: over 10 attempts the sequential boundaries pass a wrong split ≤ 1 %', () => {
    // Attempt j accepts at β/(j(j+1)); passes at the request cap are not covered (docs/statistics.md §6).
    const random = createRandom(9);
    const loops = 1000;
    let sequentialPasses = 0;
    for (let i = 0; i < loops; i++) {
      for (let attempt = 1; attempt <= 10; attempt++) {
        const options: ProportionTestOptions = { ...base, alpha: 0.001, expected: { v1: 0.5, v2: 0.5 }, exhaustive: true, beta: betaForAttempt(attempt) };
        const run = simulateRun(options, { v1: 0.6, v2: 0.4 }, random);
        if (run.decision === 'pass') {
          if (run.decidedBy === 'sequential') sequentialPasses++;
          break;
        }
      }
    }
    assert.ok(sequentialPasses / loops <= 0.01, `${sequentialPasses} of ${loops} loops passed a wrong split sequentially`);
    const spent = Array.from({ length: 1000 }, (_, j) => betaForAttempt(j + 1)).reduce((a, b) => a + b, 0);
    assert.ok(spent < 0.01 && betaForAttempt(1) === 0.005);
  });

  it('is reproducible for a seed', () => {
    const options: ProportionTestOptions = { ...base, alpha: 0.001, expected: { v1: 0.75, v2: 0.25 }, exhaustive: true };
    assert.deepEqual(simulateMany(options, { v1: 0.75, v2: 0.25 }, 200, createRandom(5)), simulateMany(options, { v1: 0.75, v2: 0.25 }, 200, createRandom(5)));
  });
});
