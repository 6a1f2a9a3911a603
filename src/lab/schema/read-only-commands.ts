// Which kubectl and istioctl subcommands a `command` check may run. A check observes; anything that
// changes the cluster (or the user's kubeconfig) belongs in a step's actions, where istio-lab records
// it and `reset` can undo it. Only subcommands that read are allowed, written first in `args`.

/** kubectl subcommands that read (exec runs a program in a container and changes no object). */
const kubectl: Record<string, readonly string[] | true> = {
  get: true,
  describe: true,
  logs: true,
  exec: true,
  top: true,
  events: true,
  explain: true,
  'api-resources': true,
  'api-versions': true,
  'cluster-info': true,
  version: true,
  wait: true,
  auth: ['can-i', 'whoami'],
  rollout: ['status', 'history'],
  config: ['view', 'current-context', 'get-contexts', 'get-clusters', 'get-users'],
};

/** istioctl subcommands that read the cluster or only print. */
const istioctl: Record<string, readonly string[] | true> = {
  analyze: true,
  'proxy-config': true,
  pc: true,
  'proxy-status': true,
  ps: true,
  version: true,
  validate: true,
  'kube-inject': true,
  'verify-install': true,
  precheck: true,
  manifest: ['generate', 'translate'],
  profile: ['list', 'dump', 'diff'],
  x: ['describe', 'precheck', 'authz'],
  experimental: ['describe', 'precheck', 'authz'],
  describe: true,
};

/** Flags that act as someone else, which a check has no reason to do. */
const impersonation = /^--(as|as-group|as-uid|token)(=|$)/;

/** Why `program args` is not a read-only check, or undefined when it is. */
export function readOnlyProblem(program: 'kubectl' | 'istioctl', args: readonly string[]): string | undefined {
  const table = program === 'kubectl' ? kubectl : istioctl;
  const allowed = Object.keys(table).sort().join(', ');
  const [sub, next] = args;
  // Flags alone (or nothing) only print help or the version.
  if (sub === undefined || (sub.startsWith('-') && args.every((a) => a.startsWith('-')))) return undefined;
  if (sub.startsWith('-')) return `a command check names its ${program} subcommand first in args (e.g. [get, pods, -n, default]), so istio-lab can tell it only reads; allowed: ${allowed}`;
  const rule = table[sub];
  if (!rule) return `\`${program} ${sub}\` can change the cluster; a check only observes. Put changes in a step's actions (apply, delete, patch, …) so reset can undo them. Allowed ${program} subcommands: ${allowed}`;
  if (rule !== true && !rule.includes(next ?? '')) return `\`${program} ${sub}${next ? ` ${next}` : ''}\` is not read-only; a check may run \`${program} ${sub}\` with: ${rule.join(', ')}`;
  const own = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
  const bad = own.find((a) => impersonation.test(a));
  if (bad) return `a command check runs with the target's own credentials; remove ${bad.split('=')[0]}`;
  return undefined;
}
