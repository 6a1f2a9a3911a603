// Turning lab names from the command line into a checked, ordered plan.
import { UserError, ExitCode } from './errors.js';
import { labRoot } from './shared.js';
import type { LoadedLab } from '../lab/index.js';
import type { PlannedLab } from '../runner/run-labs.js';

/** Load the named labs (or all of a track with `all`) plus prerequisites, in run order. */
export async function planLabs(refs: string[], opts: { all?: boolean; track?: string; requireSupported: boolean }): Promise<PlannedLab[]> {
  const { discoverLabs, loadWithRequires, formatLabError, resolveLabRef } = await import('../lab/index.js');
  const catalog = await discoverLabs(labRoot());
  let names = refs;
  if (opts.all) names = catalog.entries.filter((e) => !opts.track || e.track === opts.track).map((e) => e.ref);
  else if (opts.track) names = refs.map((r) => (r.includes('/') ? r : `${opts.track}/${r}`));
  if (!names.length) throw new UserError(opts.all ? `no labs found${opts.track ? ` in track ${opts.track}` : ''}.` : 'name at least one lab, or pass --all.', ExitCode.usage, 'run `istio-lab list` to see the labs.');
  const plan = await loadWithRequires(names, catalog);
  if (!plan.ok) {
    const lines = plan.errors.map((e) => (typeof e === 'string' ? e : formatLabError(e)));
    throw new UserError(lines.join('\n'), ExitCode.usage, 'fix the lab file (`istio-lab validate` checks all of them), or check the name with `istio-lab list`.');
  }
  if (opts.requireSupported) await assertSupported(plan.labs);
  const targets = new Set(names.map((n) => resolveLabRef(n, catalog)).flatMap((r) => (r.ok ? [r.entry.ref] : [])));
  return plan.labs.map((loaded) => ({ loaded, target: targets.has(`${loaded.lab.track}/${loaded.lab.name}`) }));
}

async function assertSupported(labs: LoadedLab[]): Promise<void> {
  const { supportedCheckKinds } = await import('../probes/index.js');
  const ok = new Set<string>(supportedCheckKinds());
  for (const l of labs) {
    l.lab.steps.forEach((s, i) =>
      s.checks.forEach((c, j) => {
        if (!ok.has(c.kind)) {
          throw new UserError(`${l.displayFile} steps[${i}].checks[${j}]: the "${c.kind}" check is not available in this version of istio-lab (available: ${[...ok].join(', ')}).`, ExitCode.usage, 'use one of the available check kinds, or upgrade istio-lab.');
        }
      }),
    );
  }
}
