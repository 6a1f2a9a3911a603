// `istio-lab list` and `istio-lab show`: browse the lab catalog.
import type { Command } from 'commander';
import { labRoot } from './shared.js';
import { UserError, ExitCode } from './errors.js';

/** Register `list`. */
export function registerListCommand(program: Command): void {
  program
    .command('list')
    .description('List the labs, by track')
    .option('--track <track>', 'only this track')
    .option('-o, --output <format>', 'text or json', 'text')
    .addHelpText('after', '\nExamples:\n  $ istio-lab list\n  $ istio-lab list --track core -o json')
    .action(async (flags: { track?: string; output: string }) => {
      const { discoverLabs, loadLab } = await import('../lab/index.js');
      const catalog = await discoverLabs(labRoot());
      const rows = [];
      for (const e of catalog.entries.filter((x) => !flags.track || x.track === flags.track)) {
        const r = await loadLab(e.file, { repoRoot: catalog.repoRoot });
        rows.push(r.ok ? { track: e.track, name: e.name, title: r.loaded.lab.title, steps: r.loaded.lab.steps.length, requires: r.loaded.lab.requires, summary: r.loaded.lab.summary } : { track: e.track, name: e.name, title: '(invalid: run `istio-lab validate`)', steps: 0, requires: [], summary: '' });
      }
      if (flags.output === 'json') return void process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      if (!rows.length) return void process.stdout.write(flags.track ? `No labs in track ${flags.track}.\n` : 'No labs found.\n');
      let track = '';
      for (const r of rows) {
        if (r.track !== track) process.stdout.write(`${track ? '\n' : ''}${(track = r.track)}\n`);
        process.stdout.write(`  ${r.name.padEnd(28)} ${String(r.steps).padStart(2)} ${r.steps === 1 ? 'step ' : 'steps'}  ${r.title}\n`);
      }
    });
}

/** Register `show`. */
export function registerShowCommand(program: Command): void {
  program
    .command('show')
    .description('Show a lab for a terminal: instructions, then the manifests each step applies')
    .argument('<lab>', 'lab name ("sidecar-injection") or "track/lab"')
    .addHelpText('after', '\nExamples:\n  $ istio-lab show sidecar-injection\n  $ istio-lab show core/ingress-gateway | less')
    .action(async (ref: string) => {
      const { discoverLabs, loadLab, resolveLabRef, formatLabError, collectObjects } = await import('../lab/index.js');
      const yaml = (await import('js-yaml')).default;
      const catalog = await discoverLabs(labRoot());
      const found = resolveLabRef(ref, catalog);
      if (!found.ok) throw new UserError(`${found.message}.`, ExitCode.usage, 'run `istio-lab list` to see the labs.');
      const r = await loadLab(found.entry.file, { repoRoot: catalog.repoRoot });
      if (!r.ok) throw new UserError(r.errors.map(formatLabError).join('\n'), ExitCode.usage, 'fix the lab file; `istio-lab validate` lists every problem.');
      const { lab } = r.loaded;
      const out: string[] = [`# ${lab.title} (${lab.track}/${lab.name})`, '', lab.summary.trim(), ''];
      if (lab.requires.length) out.push(`Requires: ${lab.requires.join(', ')}`, '');
      if (lab.changes) out.push('## What changed since the original workshop', '', lab.changes.trim(), '');
      lab.steps.forEach((s, i) => {
        out.push(`## Step ${i + 1}: ${s.title} (${s.name})`, '', s.instructions.trim(), '');
        for (const a of s.actions) {
          if (a.kind !== 'apply') continue;
          out.push('```yaml', ...collectObjects(r.loaded, a).map((o) => yaml.dump(o, { lineWidth: 120 }).trimEnd()).join('\n---\n').split('\n'), '```', '');
        }
        if (s.hint) out.push(`Hint: ${s.hint.trim()}`, '');
      });
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
