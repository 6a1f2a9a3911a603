// The --dry-run plan: what each step would apply, wait for and check, without touching a cluster.
import { collectObjects, type LoadedLab } from '../lab/index.js';
import { describeAction } from '../actions/index.js';
import { describeWait } from '../waits/index.js';
import { checkName } from './check.js';
import { labIdOf, selectSteps, type PlannedLab, type RunOptions } from './run-labs.js';

/** Render the plan as text lines. */
export function renderPlan(plan: PlannedLab[], opts: Pick<RunOptions, 'mode' | 'step' | 'from' | 'prove'>): string[] {
  const lines: string[] = [];
  for (const { loaded, target } of plan) {
    const steps = selectSteps(loaded, opts, target);
    lines.push(`lab ${labIdOf(loaded)}: ${loaded.lab.title}${target ? '' : ' (prerequisite; skipped if already completed)'}`);
    for (const step of steps) {
      lines.push(`  step ${step.name}: ${step.title}`);
      if (opts.mode === 'run') {
        for (const action of step.actions) {
          lines.push(`    ${describeAction(action)}`);
          if (action.kind === 'apply' || action.kind === 'delete') {
            for (const o of collectObjects(loaded, action)) lines.push(`      ${objectLabel(o, loaded)}`);
          }
        }
        for (const w of step.wait) lines.push(`    wait ${describeWait(w)}`);
      }
      for (const c of step.checks) lines.push(`    check ${c.kind} ${JSON.stringify(checkName(c))}${opts.prove && opts.mode === 'run' ? ' (must fail before the step, pass after)' : ''}`);
    }
  }
  lines.push('dry run: nothing was changed.');
  return lines;
}

function objectLabel(o: { apiVersion: string; kind: string; metadata?: { name?: string; namespace?: string } }, loaded: LoadedLab): string {
  const group = o.apiVersion.includes('/') ? `.${o.apiVersion.split('/')[0]}` : '';
  const ns = o.kind === 'Namespace' || o.kind === 'CustomResourceDefinition' ? '' : ` (namespace ${o.metadata?.namespace ?? loaded.lab.namespace})`;
  return `${o.kind.toLowerCase()}${group}/${o.metadata?.name}${ns}`;
}
