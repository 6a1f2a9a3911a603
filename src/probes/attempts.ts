// Counts attempts of a check within a step, so statistical probes can spend their miss rate over
// the retry loop (attempt j gets β/(j(j+1))) and a wrong config cannot pass by being retried.
import type { StepContext } from '../runner/context.js';

const attempts = new WeakMap<StepContext, WeakMap<object, number>>();

/** Records one more attempt of `check` in this step and returns its number (1, 2, …). */
export function countAttempt(ctx: StepContext, check: object): number {
  let perCheck = attempts.get(ctx);
  if (!perCheck) attempts.set(ctx, (perCheck = new WeakMap()));
  const n = (perCheck.get(check) ?? 0) + 1;
  perCheck.set(check, n);
  return n;
}
