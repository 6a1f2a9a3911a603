// One step: (prove) checks must fail first; (run) actions, then waits; then checks.
import type { Status } from './events.js';
import { runAction, describeAction } from '../actions/index.js';
import { runWait, describeWait } from '../waits/index.js';
import { WaitTimeoutError } from '../waits/watch.js';
import { runCheck } from './check.js';
import { collectDiagnostics } from './diagnostics.js';
import { collectCheckDiagnostics } from './check-diagnostics.js';
import { InterruptedError, type StepContext } from './context.js';
import { UserError } from '../cli/errors.js';

/** How a step runs. */
export interface StepMode {
  /** Apply the step's solution (run); false for verify. */
  apply: boolean;
  /** Assert every check fails before the solution is applied. */
  prove: boolean;
}

/** Run one step and emit its events; returns its status. Rethrows interrupts and user errors after reporting. */
export async function runStep(ctx: StepContext, index: number, mode: StepMode): Promise<Status> {
  const { emit, step, labId } = ctx;
  const started = Date.now();
  emit({ type: 'step-start', lab: labId, step: step.name, title: step.title, index });
  const end = (status: Status, diagnostics?: string) => {
    emit({ type: 'step-end', lab: labId, step: step.name, status, durationMs: Date.now() - started, hint: status === 'failed' ? step.hint : undefined, diagnostics });
    return status;
  };
  try {
    let failed = false;
    if (mode.prove && mode.apply) {
      for (const check of step.checks) {
        const before = await runCheck(check, ctx, true);
        const discriminates = before.status === 'failed';
        failed ||= !discriminates;
        emit({
          type: 'check',
          lab: labId,
          step: step.name,
          phase: 'prove',
          outcome: { ...before, status: discriminates ? 'passed' : 'failed', message: discriminates ? `fails before the solution, as it should: ${before.message}` : `passes before the step's solution is applied, so it cannot tell a solved step from an unsolved one: ${before.message}` },
        });
      }
    }
    if (mode.apply) {
      for (const action of step.actions) {
        const changes = await runAction(action, ctx);
        emit({ type: 'action', lab: labId, step: step.name, summary: describeAction(action), changes });
        if (ctx.signal.aborted) throw new InterruptedError();
      }
      for (const w of step.wait) {
        const t = Date.now();
        await runWait(w, ctx);
        emit({ type: 'wait', lab: labId, step: step.name, summary: describeWait(w), durationMs: Date.now() - t, status: 'passed' });
      }
    }
    const failedChecks = [];
    for (const check of step.checks) {
      if (ctx.signal.aborted) throw new InterruptedError(); // a fast probe never sleeps, so look between checks
      const outcome = await runCheck(check, ctx);
      failed ||= outcome.status !== 'passed';
      if (outcome.status === 'failed') failedChecks.push(check);
      emit({ type: 'check', lab: labId, step: step.name, phase: 'check', outcome });
    }
    // Failed traffic checks: attach the VirtualServices/DestinationRules involved and recent proxy logs.
    return end(failed ? 'failed' : 'passed', failedChecks.length ? (await collectCheckDiagnostics(ctx, failedChecks)) || undefined : undefined);
  } catch (err) {
    if (err instanceof WaitTimeoutError) {
      emit({ type: 'wait', lab: labId, step: step.name, summary: err.what, durationMs: err.timeoutMs, status: 'failed', message: err.message });
      return end('failed', await collectDiagnostics(ctx, err.lastObserved));
    }
    if (err instanceof InterruptedError || ctx.signal.aborted) {
      end('failed', 'interrupted');
      throw new InterruptedError();
    }
    end('failed', err instanceof UserError ? err.message : (err as Error).message);
    throw err;
  }
}
