// Runs one check under its eventual-consistency policy: retry with backoff until `consecutive`
// passes in a row, or fail at `timeout` with the last observation.
import type { Check } from '../lab/index.js';
import { parseDuration } from '../lab/index.js';
import { probeFor } from '../probes/index.js';
import type { ProbeResult } from '../probes/probe.js';
import type { CheckOutcome } from './events.js';
import { InterruptedError, sleep, type StepContext } from './context.js';

/** Display name of a check: its `name`, or a description from its kind and target. */
export function checkName(check: Check): string {
  if (check.name) return check.name;
  const c = check as any;
  if (c.target?.kind) return `${c.target.kind}${c.target.name ? `/${c.target.name}` : ''}`;
  if (c.selector) return Object.entries(c.selector).map(([k, v]) => `${k}=${v}`).join(',');
  return check.kind;
}

/** Run a check; `once` makes a single attempt (used by --prove before a step's solution). */
export async function runCheck(check: Check, ctx: StepContext, once = false): Promise<CheckOutcome> {
  const probe = probeFor(check);
  const started = Date.now();
  const base = { kind: check.kind, name: checkName(check) };
  if (!probe) return { ...base, status: 'skipped', message: `the ${check.kind} probe is not available in this version`, attempts: 0, durationMs: 0 };
  const timeout = Math.min(parseDuration(check.eventually.timeout), ctx.timeoutMs ?? Infinity);
  const interval = parseDuration(check.eventually.interval);
  const deadline = started + timeout;
  let delay = Math.min(100, interval);
  let attempts = 0;
  let streak = 0;
  let last: ProbeResult = { ok: false, message: 'not run' };
  while (true) {
    attempts++;
    try {
      last = await probe(check, ctx, { deadline }); // each attempt ends by the check's deadline
    } catch (err) {
      if (err instanceof InterruptedError || ctx.signal.aborted) throw new InterruptedError();
      last = { ok: false, message: (err as Error).message };
    }
    if (last.skipped) return { ...base, status: 'skipped', message: last.skipped, attempts, durationMs: Date.now() - started };
    streak = last.ok ? streak + 1 : 0;
    const done = streak >= check.eventually.consecutive;
    if (done || once || Date.now() + delay > deadline) {
      const passed = done || (once && last.ok);
      return { ...base, status: passed ? 'passed' : 'failed', message: last.message, attempts, durationMs: Date.now() - started, observed: passed ? undefined : last.observed };
    }
    await sleep(delay, ctx.signal);
    delay = Math.min(delay * 2, interval);
  }
}
