// Actions: steps that change the world. One runner per action kind, in an exhaustive map.
import type { Action, ActionKind } from '../lab/index.js';
import type { ObjectChange } from '../runner/events.js';
import type { StepContext } from '../runner/context.js';
import { runApply } from './apply.js';
import { runDelete } from './delete.js';
import { runLabel, runPatch, runRestart, runScale } from './mutate.js';
import { runIstioctlInstall } from './istioctl-install.js';

type Runner<K extends ActionKind> = (action: Extract<Action, { kind: K }>, ctx: StepContext) => Promise<ObjectChange[]>;

const runners: { [K in ActionKind]: Runner<K> } = {
  apply: runApply,
  delete: runDelete,
  label: runLabel,
  scale: runScale,
  restart: runRestart,
  patch: runPatch,
  'istioctl-install': runIstioctlInstall,
};

/** Run one action. */
export function runAction(action: Action, ctx: StepContext): Promise<ObjectChange[]> {
  return (runners[action.kind] as Runner<ActionKind>)(action as never, ctx);
}

/** One-line description of an action for plans and reports. */
export function describeAction(action: Action): string {
  switch (action.kind) {
    case 'apply':
    case 'delete': {
      const src = action.file ?? action.files?.join(', ') ?? (action.inline !== undefined ? 'inline manifest' : undefined);
      const target = action.kind === 'delete' && action.target ? `${action.target.kind}/${action.target.name}` : undefined;
      const only = action.kind === 'apply' && action.only ? ` (${action.only === 'sandbox' ? 'on the sandbox only' : 'on real clusters only'})` : '';
      return `${action.kind} ${src ?? target}${only}`;
    }
    case 'label':
      return `label ${action.target.kind}/${action.target.name} ${Object.entries(action.labels).map(([k, v]) => (v === null ? `${k}-` : `${k}=${v}`)).join(' ')}`;
    case 'scale':
      return `scale deployment/${action.deployment} --replicas=${action.replicas}`;
    case 'restart':
      return `rollout restart deployment/${[action.deployment].flat().join(',')}`;
    case 'patch':
      return `patch ${action.target.kind}/${action.target.name} (${action.type})`;
    case 'istioctl-install':
      return `istioctl install --set profile=${action.profile}${Object.entries(action.set ?? {}).map(([k, v]) => ` --set ${k}=${String(v)}`).join('')} (on real clusters only)`;
  }
}
