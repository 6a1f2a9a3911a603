// Deployment strategies and rollout states: Recreate, pause/resume, progress deadline.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deployment, namespace, startHarness, waitFor } from './harness.js';

const v = (tag: string) => ({ spec: { template: { spec: { containers: [{ name: 'app', image: `docker.io/kennethreitz/httpbin:${tag}` }] } } } });

describe('Deployment strategies', () => {
  it('Recreate scales the old ReplicaSet to 0 and waits for its pods to go before starting new ones', async () => {
    const h = startHarness({ finishDeletes: false });
    try {
      h.apply(namespace('rc'));
      const body = deployment('job', 'rc', 2);
      body.spec.strategy = { type: 'Recreate' };
      h.apply(body);
      await waitFor(() => h.get('apps/deployments', 'rc', 'job')!.status?.availableReplicas === 2, 'first version');
      assert.equal(h.get('apps/deployments', 'rc', 'job')!.spec.strategy.rollingUpdate, undefined);
      const rt = h.registry.resolveKind('apps/v1', 'Deployment');
      h.registry.patch(rt, 'rc', 'job', 'strategic', v('v2'));
      const terminating = await waitFor(() => {
        const pods = h.list('/pods', 'rc');
        return pods.length === 2 && pods.every((p) => p.metadata.deletionTimestamp) && pods;
      }, 'old pods terminating');
      await new Promise((r) => setTimeout(r, 30));
      assert.equal(h.list('apps/replicasets', 'rc').length, 1, 'no new ReplicaSet while old pods run');
      const podRt = h.registry.resolveKind('v1', 'Pod');
      for (const p of terminating) h.registry.finalize(podRt, 'rc', p.metadata.name!);
      await waitFor(() => {
        const d = h.get('apps/deployments', 'rc', 'job')!;
        return d.status?.updatedReplicas === 2 && d.status?.availableReplicas === 2 && h.list('apps/replicasets', 'rc').length === 2;
      }, 'new version');
    } finally {
      h.stop();
    }
  });

  it('a paused Deployment does not roll out; resuming does', async () => {
    const h = startHarness();
    try {
      h.apply(namespace('pz'));
      h.apply(deployment('web', 'pz', 1));
      await waitFor(() => h.get('apps/deployments', 'pz', 'web')!.status?.availableReplicas === 1, 'ready');
      const rt = h.registry.resolveKind('apps/v1', 'Deployment');
      h.registry.patch(rt, 'pz', 'web', 'merge', { spec: { paused: true } });
      h.registry.patch(rt, 'pz', 'web', 'strategic', v('v2'));
      const paused = await waitFor(() => {
        const d = h.get('apps/deployments', 'pz', 'web')!;
        return d.status?.conditions?.find((c: any) => c.type === 'Progressing' && c.reason === 'DeploymentPaused') && d;
      }, 'paused condition');
      assert.equal(paused.status.conditions.find((c: any) => c.type === 'Progressing').status, 'Unknown');
      assert.equal(h.list('apps/replicasets', 'pz').length, 1);
      h.registry.patch(rt, 'pz', 'web', 'merge', { spec: { paused: false } });
      await waitFor(() => {
        const d = h.get('apps/deployments', 'pz', 'web')!;
        return h.list('apps/replicasets', 'pz').length === 2 && d.status?.updatedReplicas === 1 && d.status?.replicas === 1 && d.status?.availableReplicas === 1;
      }, 'resumed rollout');
    } finally {
      h.stop();
    }
  });

  it('reports ProgressDeadlineExceeded when pods never become ready', async () => {
    const h = startHarness({ autoReady: false });
    try {
      h.apply(namespace('stuck'));
      const body = deployment('stuck', 'stuck', 1);
      body.spec.progressDeadlineSeconds = 1;
      h.apply(body);
      const d = await waitFor(() => {
        const x = h.get('apps/deployments', 'stuck', 'stuck')!;
        return x.status?.conditions?.find((c: any) => c.type === 'Progressing' && c.status === 'False') && x;
      }, 'deadline exceeded', 4000);
      const cond = d.status.conditions.find((c: any) => c.type === 'Progressing');
      assert.equal(cond.reason, 'ProgressDeadlineExceeded');
      assert.match(cond.message, /^ReplicaSet "stuck-[a-z0-9]{10}" has timed out progressing\.$/);
    } finally {
      h.stop();
    }
  });
});
