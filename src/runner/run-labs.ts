// Runs labs in order (prerequisites first unless already satisfied) in `run` or `verify` mode,
// emitting events; stops at the first failing lab and after the current action on interrupt.
import type { Cluster } from '../cluster/types.js';
import type { LoadedLab, Step } from '../lab/index.js';
import type { EventSink, Status } from './events.js';
import { runStep } from './run-step.js';
import { labsToResetAfterPassing } from './isolation.js';
import { resetLabs } from './reset.js';
import { StateStore } from './state.js';
import { InterruptedError, type StepContext } from './context.js';
import { UserError, ExitCode } from '../cli/errors.js';

/** Options of a run or verify. */
export interface RunOptions {
  mode: 'run' | 'verify';
  prove: boolean;
  /** Only this step (run: apply and check it; verify: check it). */
  step?: string;
  /** From this step to the end (run only). */
  from?: string;
  adopt: boolean;
  /** Keep every lab of a multi-lab run instead of resetting each lab later labs do not need once it passes. */
  keep?: boolean;
  /** External tools chosen on the command line. */
  tools?: { istioctl?: string };
  timeoutMs?: number;
  emit: EventSink;
  signal: AbortSignal;
}

/** A lab to run, and whether the user named it (prerequisites are not targets). */
export interface PlannedLab {
  loaded: LoadedLab;
  target: boolean;
}

/** `track/name` of a lab. */
export function labIdOf(l: LoadedLab): string {
  return `${l.lab.track}/${l.lab.name}`;
}

/** Steps of a lab that a run or verify covers. */
export function selectSteps(l: LoadedLab, opts: Pick<RunOptions, 'mode' | 'step' | 'from'>, target: boolean): Step[] {
  const steps = l.lab.steps;
  const find = (name: string) => {
    const i = steps.findIndex((s) => s.name === name);
    if (i < 0) throw new UserError(`lab ${labIdOf(l)} has no step "${name}"; its steps are: ${steps.map((s) => s.name).join(', ')}.`, ExitCode.usage, 'pass one of those names to --step / --from.');
    return i;
  };
  if (target && opts.step) return [steps[find(opts.step)]];
  if (target && opts.from) return steps.slice(find(opts.from));
  if (opts.mode === 'verify') return [steps[steps.length - 1]];
  return steps;
}

/** Run the planned labs against the cluster; returns the overall status. */
export async function runLabs(cluster: Cluster, plan: PlannedLab[], opts: RunOptions): Promise<{ status: Status; summary: { passed: number; failed: number; skipped: number }; interrupted: boolean }> {
  const state = new StateStore(cluster);
  await state.load();
  const summary = { passed: 0, failed: 0, skipped: 0 };
  let failedAlready = false;
  let interrupted = false;
  const resetAfter = opts.mode === 'run' && !opts.keep ? labsToResetAfterPassing(plan) : new Set<number>();
  for (const [index, { loaded, target }] of plan.entries()) {
    const labId = labIdOf(loaded);
    const steps = selectSteps(loaded, opts, target);
    if (!target && opts.mode === 'run' && state.current.labs[labId]?.status === 'completed') {
      opts.emit({ type: 'notice', message: `prerequisite ${labId} already completed on this cluster; not running it again` });
      continue;
    }
    const started = Date.now();
    opts.emit({ type: 'lab-start', lab: labId, title: loaded.lab.title, steps: steps.length });
    let labStatus: Status = 'passed';
    for (const [i, step] of steps.entries()) {
      interrupted ||= opts.signal.aborted; // a signal between steps (or before the first) starts no new step
      if (failedAlready || interrupted) {
        opts.emit({ type: 'step-start', lab: labId, step: step.name, title: step.title, index: i });
        opts.emit({ type: 'step-end', lab: labId, step: step.name, status: 'skipped', durationMs: 0 });
        summary.skipped++;
        labStatus = labStatus === 'passed' ? 'skipped' : labStatus;
        continue;
      }
      const ctx: StepContext = { cluster, state, loaded, labId, step, emit: opts.emit, signal: opts.signal, adopt: opts.adopt, tools: opts.tools, timeoutMs: opts.timeoutMs, startedAt: new Date() };
      if (opts.mode === 'run' && i === 0) await state.markLab(labId, 'applying', []);
      let status: Status;
      try {
        status = await runStep(ctx, i, { apply: opts.mode === 'run', prove: opts.prove });
      } catch (err) {
        if (!(err instanceof InterruptedError)) throw err;
        interrupted = true;
        status = 'failed';
      }
      summary[status]++;
      if (status === 'failed') {
        labStatus = 'failed';
        failedAlready = true;
      }
      if (opts.mode === 'run' && status === 'passed') {
        const done = [...new Set([...(state.current.labs[labId]?.steps ?? []), step.name])];
        await state.markLab(labId, done.length === loaded.lab.steps.length ? 'completed' : 'applying', done);
      }
    }
    opts.emit({ type: 'lab-end', lab: labId, status: labStatus, durationMs: Date.now() - started });
    if (labStatus === 'passed' && resetAfter.has(index) && !opts.signal.aborted) {
      opts.emit({ type: 'notice', message: `reset ${labId} so the next labs start from what they require (--keep keeps every lab)` });
      await resetLabs(cluster, [labId], opts.emit, opts.signal, opts.timeoutMs, opts.tools);
      await state.load();
    }
  }
  // A signal that arrived during the last step's final check still counts: the run was interrupted.
  interrupted ||= opts.signal.aborted;
  const status: Status = summary.failed || interrupted ? 'failed' : 'passed';
  return { status, summary, interrupted };
}
