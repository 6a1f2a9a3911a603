// `command` checks observe: only read-only kubectl/istioctl subcommands pass validation, with an
// error at the check's args that says why and where a change belongs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseLab } from '../../src/lab/parse.js';
import { readOnlyProblem } from '../../src/lab/schema/read-only-commands.js';
import { buildLab } from './helpers.js';

describe('command checks run read-only subcommands', () => {
  it('accepts what the labs and seeds use to look: get, logs, exec, rollout status, proxy-config, analyze', () => {
    for (const [program, args] of [
      ['kubectl', ['get', 'pods', '-n', 'default']],
      ['kubectl', ['exec', '-n', 'default', 'deploy/curl', '-c', 'curl', '--', 'sh', '-c', 'curl -s http://x --token y']],
      ['kubectl', ['rollout', 'status', 'deploy/reviews-v1']],
      ['kubectl', ['auth', 'can-i', 'get', 'pods']],
      ['kubectl', ['version', '--client']],
      ['kubectl', []],
      ['istioctl', ['proxy-config', 'routes', 'deploy/productpage']],
      ['istioctl', ['analyze', '-n', 'default']],
      ['istioctl', ['x', 'describe', 'pod', 'p']],
    ] as const) assert.equal(readOnlyProblem(program, args), undefined, `${program} ${args.join(' ')}`);
  });

  it('rejects subcommands that change the cluster or the kubeconfig, and impersonation', () => {
    for (const [program, args, pattern] of [
      ['kubectl', ['delete', 'namespace', 'prod'], /`kubectl delete` can change the cluster.*step's actions/],
      ['kubectl', ['apply', '-f', 'x.yaml'], /`kubectl apply` can change the cluster/],
      ['kubectl', ['rollout', 'restart', 'deploy/x'], /`kubectl rollout restart` is not read-only.*status, history/],
      ['kubectl', ['config', 'use-context', 'prod'], /`kubectl config use-context` is not read-only/],
      ['kubectl', ['-n', 'default', 'delete', 'pod', 'x'], /subcommand first/],
      ['kubectl', ['get', 'secrets', '--as=system:admin'], /remove --as/],
      ['istioctl', ['install', '--set', 'profile=demo'], /`istioctl install` can change the cluster/],
      ['istioctl', ['uninstall', '--purge'], /`istioctl uninstall` can change the cluster/],
      ['istioctl', ['x', 'waypoint', 'apply'], /`istioctl x waypoint` is not read-only/],
    ] as const) assert.match(readOnlyProblem(program, args) ?? 'accepted', pattern, `${program} ${args.join(' ')}`);
  });

  it('a lab with a changing command check fails validation at the args field', () => {
    const result = parseLab(buildLab(`    checks:
      - kind: command
        program: kubectl
        args: [delete, namespace, default]
`), 'labs/core/sample.yaml');
    assert.equal(result.ok, false);
    const errors = result.ok ? [] : result.errors.map(String);
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0], /^labs\/core\/sample\.yaml:\d+:\d+ steps\[0\]\.checks\[0\]\.args: `kubectl delete` can change the cluster/);
  });
});
