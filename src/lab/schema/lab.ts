// The lab file: metadata, prerequisites and ordered steps, with cross-field rules
// (unique step names, no self-requirement).
import { z } from 'zod';
import { Action } from './actions.js';
import { Check } from './checks.js';
import { DnsLabel, KebabName, Namespace, buildPatternString } from './common.js';
import { Wait } from './waits.js';

/** A reference to another lab: `name` (same track, then core) or `track/name`. */
export const LabRef = buildPatternString(
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
  'must be a lab reference: "name" or "track/name"',
).meta({ id: 'LabRef' });

const IstioVersion = buildPatternString(/^[0-9]+\.[0-9]+(\.[0-9]+)?$/, 'must be an Istio version such as "1.22" or "1.22.3"');

/** One step of a lab: instructions for a person, the solution, waits and checks. */
export const Step = z.strictObject({
  name: KebabName,
  title: z.string().min(1),
  instructions: z.string().min(1).meta({ description: 'Markdown shown to the person doing the lab.' }),
  actions: z.array(Action).default([]).meta({ description: 'The solution: what `run` applies for this step.' }),
  wait: z.array(Wait).default([]),
  checks: z.array(Check).default([]),
  hint: z.string().min(1).optional().meta({ description: 'Markdown shown when the step fails.' }),
  cleanup: z.array(Action).optional().meta({ description: 'Actions run by reset / after the lab.' }),
}).meta({ id: 'Step' });

function refineLab(lab: unknown, ctx: z.RefinementCtx): void {
  if (typeof lab !== 'object' || lab === null) return;
  const { name, track, requires, steps } = lab as Record<string, unknown>;
  if (Array.isArray(steps)) {
    const firstIndex = new Map<string, number>();
    steps.forEach((step, index) => {
      const stepName = (step as { name?: unknown } | null)?.name;
      if (typeof stepName !== 'string') return;
      const first = firstIndex.get(stepName);
      if (first === undefined) firstIndex.set(stepName, index);
      else ctx.addIssue({ code: 'custom', path: ['steps', index, 'name'], message: `duplicate step name "${stepName}" (also steps[${first}])` });
    });
  }
  if (Array.isArray(requires)) {
    const seen = new Set<unknown>();
    requires.forEach((ref, index) => {
      if (ref === name || (typeof track === 'string' && ref === `${track}/${name}`)) {
        ctx.addIssue({ code: 'custom', path: ['requires', index], message: `a lab cannot require itself ("${String(ref)}")` });
      } else if (seen.has(ref)) {
        ctx.addIssue({ code: 'custom', path: ['requires', index], message: `"${String(ref)}" is listed twice` });
      }
      seen.add(ref);
    });
  }
}

/** A lab file. */
export const Lab = z
  .strictObject({
    name: DnsLabel.meta({ description: 'Lab name; must match the file name.' }),
    title: z.string().min(1),
    track: DnsLabel.meta({ description: 'Track (workshop) the lab belongs to; must match the folder name.' }),
    summary: z.string().min(1),
    requires: z.array(LabRef).default([]).meta({ description: 'Labs to run first: "name" or "track/name".' }),
    scope: z.enum(['namespace', 'mesh', 'cluster']).meta({ description: 'How far the lab reaches: its namespace, mesh-wide config, or the cluster.' }),
    namespace: Namespace.default('default').meta({ description: 'Default namespace for the lab\'s objects.' }),
    istio: z.strictObject({ minVersion: IstioVersion.optional(), maxVersion: IstioVersion.optional() }).optional(),
    changes: z.string().min(1).optional().meta({ description: 'Markdown: what changed since the original workshop (e.g. RouteRule → VirtualService).' }),
    steps: z.array(Step).min(1, { error: 'a lab needs at least one step' }),
  })
  .check(z.superRefine(refineLab, { when: () => true }))
  .meta({ title: 'istio-lab lab file', description: 'A lab: ordered steps with instructions, a solution and checks.' });
