// Deployment → ReplicaSet → Pods: names, labels, owner references, scaling, rollouts, status and validation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../../src/sandbox/api/status.js';
import { typeForKey } from '../../../src/sandbox/controllers/object-helpers.js';
import { deployment, namespace, startHarness, waitFor, type Harness } from './harness.js';

const hashChars = /^[bcdfghjklmnpqrstvwxz2456789]{10}$/;

describe('DeploymentController and ReplicaSetController', () => {
  let h: Harness;
  before(() => {
    h = startHarness();
    h.apply(namespace('apps'));
  });
  after(() => h.stop());

  const rsOf = (name: string) => h.list('apps/replicasets', 'apps').filter((rs) => rs.metadata.ownerReferences?.[0]?.name === name);
  const podsOf = (app: string) => h.list('/pods', 'apps').filter((p) => p.metadata.labels?.app === app && !p.metadata.deletionTimestamp);
  const rolledOut = (name: string, replicas: number) => () => {
    const d = h.get('apps/deployments', 'apps', name)!;
    const s = d.status ?? {};
    return (
      s.observedGeneration >= d.metadata.generation! &&
      (s.updatedReplicas ?? 0) === replicas &&
      (s.replicas ?? 0) === replicas &&
      (s.availableReplicas ?? 0) === replicas &&
      podsOf(name).length === replicas &&
      d
    );
  };

  it('creates <deploy>-<pod-template-hash> ReplicaSet and <rs>-<5 chars> pods with labels and owner references', async () => {
    const d = h.apply(deployment('web', 'apps', 3));
    const d2 = await waitFor(rolledOut('web', 3), 'web rolled out');
    const [rs] = rsOf('web');
    const hash = rs.metadata.labels!['pod-template-hash'];
    assert.match(hash, hashChars);
    assert.equal(rs.metadata.name, `web-${hash}`);
    assert.deepEqual(rs.spec.selector.matchLabels, { app: 'web', 'pod-template-hash': hash });
    assert.deepEqual(rs.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.equal(rs.metadata.annotations!['deployment.kubernetes.io/revision'], '1');
    assert.equal(d2.metadata.annotations!['deployment.kubernetes.io/revision'], '1');
    for (const pod of podsOf('web')) {
      assert.match(pod.metadata.name!, new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      assert.equal(pod.metadata.generateName, `web-${hash}-`);
      assert.deepEqual(pod.metadata.labels, { app: 'web', 'pod-template-hash': hash });
      assert.equal(pod.metadata.ownerReferences![0].kind, 'ReplicaSet');
      assert.equal(pod.metadata.ownerReferences![0].uid, rs.metadata.uid);
      assert.equal(pod.spec.nodeName, 'istio-lab-control-plane');
    }
    const conds = Object.fromEntries(d2.status.conditions.map((c: any) => [c.type, c]));
    assert.equal(conds.Available.status, 'True');
    assert.equal(conds.Available.reason, 'MinimumReplicasAvailable');
    assert.equal(conds.Progressing.reason, 'NewReplicaSetAvailable');
    assert.equal(conds.Progressing.message, `ReplicaSet "web-${hash}" has successfully progressed.`);
    assert.equal(d2.status.readyReplicas, 3);
    assert.equal(d2.status.unavailableReplicas, undefined);
    const rsStatus = h.get('apps/replicasets', 'apps', rs.metadata.name!)!.status;
    assert.deepEqual({ ...rsStatus }, { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
  });

  it('records ScalingReplicaSet and SuccessfulCreate events like the real controllers', async () => {
    const events = await waitFor(() => {
      const list = h.list('/events', 'apps');
      return list.some((e) => e.reason === 'SuccessfulCreate') && list;
    }, 'events');
    const scaling = events.find((e) => e.reason === 'ScalingReplicaSet' && e.involvedObject.name === 'web')!;
    assert.match(scaling.message, /^Scaled up replica set web-[a-z0-9]{10} from 0 to 3$/);
    assert.equal(scaling.source.component, 'deployment-controller');
    assert.equal(scaling.involvedObject.kind, 'Deployment');
    assert.match(scaling.metadata.name!, /^web\.[0-9a-f]+$/);
    const created = events.find((e) => e.reason === 'SuccessfulCreate')!;
    assert.match(created.message, /^Created pod: web-/);
    assert.equal(created.reportingComponent, 'replicaset-controller');
  });

  it('scales up and down (surplus pods are deleted)', async () => {
    const rt = typeForKey(h.registry, 'apps/deployments');
    h.registry.patch(rt, 'apps', 'web', 'merge', { spec: { replicas: 5 } });
    await waitFor(rolledOut('web', 5), 'scaled to 5');
    h.registry.patch(rt, 'apps', 'web', 'merge', { spec: { replicas: 1 } }, { subresource: 'scale' });
    const d = await waitFor(rolledOut('web', 1), 'scaled to 1');
    assert.equal(rsOf('web').length, 1);
    assert.equal(d.status.replicas, 1);
    const deleted = h.list('/events', 'apps').filter((e) => e.reason === 'SuccessfulDelete');
    assert.ok(deleted.length >= 1);
  });

  it('rolls a template change out to a new ReplicaSet and scales the old one to 0', async () => {
    const rt = typeForKey(h.registry, 'apps/deployments');
    h.registry.patch(rt, 'apps', 'web', 'merge', { spec: { replicas: 2 } });
    await waitFor(rolledOut('web', 2), 'scaled to 2');
    const [old] = rsOf('web');
    h.registry.patch(rt, 'apps', 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'app', image: 'docker.io/kennethreitz/httpbin:v2' }] } } } });
    const d = await waitFor(() => rolledOut('web', 2)() && rsOf('web').length === 2 && h.get('apps/deployments', 'apps', 'web'), 'rollout to v2');
    const oldNow = h.get('apps/replicasets', 'apps', old.metadata.name!)!;
    const fresh = rsOf('web').find((rs) => rs.metadata.uid !== old.metadata.uid)!;
    assert.equal(oldNow.spec.replicas, 0);
    assert.equal(fresh.spec.replicas, 2);
    assert.equal(fresh.metadata.annotations!['deployment.kubernetes.io/revision'], '2');
    assert.equal(d.metadata.annotations!['deployment.kubernetes.io/revision'], '2');
    assert.ok(podsOf('web').every((p) => p.spec.containers[0].image.endsWith(':v2')));
    assert.equal(d.status.conditions.find((c: any) => c.type === 'Progressing').reason, 'NewReplicaSetAvailable');
  });

  it('kubectl rollout restart (template annotation restartedAt) creates a new ReplicaSet', async () => {
    const rt = typeForKey(h.registry, 'apps/deployments');
    const before = rsOf('web').map((rs) => rs.metadata.name);
    const patch = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } } } } };
    h.registry.patch(rt, 'apps', 'web', 'strategic', patch);
    await waitFor(() => rolledOut('web', 2)() && rsOf('web').length === 3, 'restart rollout');
    const fresh = rsOf('web').find((rs) => !before.includes(rs.metadata.name))!;
    assert.equal(fresh.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'], '2026-01-01T00:00:00Z');
    assert.equal(fresh.metadata.annotations!['deployment.kubernetes.io/revision'], '3');
  });

  it('rolls back to an earlier template by reusing its ReplicaSet with a new revision', async () => {
    const rt = typeForKey(h.registry, 'apps/deployments');
    const d = h.get('apps/deployments', 'apps', 'web')!;
    const v2 = rsOf('web').find((rs) => rs.metadata.annotations!['deployment.kubernetes.io/revision'] === '2')!;
    const template = structuredClone(v2.spec.template);
    delete template.metadata.labels['pod-template-hash'];
    h.registry.update(rt, 'apps', 'web', { ...d, spec: { ...d.spec, template } });
    await waitFor(() => rolledOut('web', 2)() && h.get('apps/replicasets', 'apps', v2.metadata.name!)!.spec.replicas === 2, 'rollback');
    assert.equal(h.get('apps/replicasets', 'apps', v2.metadata.name!)!.metadata.annotations!['deployment.kubernetes.io/revision'], '4');
    assert.equal(rsOf('web').length, 3);
  });

  it('respects maxSurge/maxUnavailable: never more than replicas+surge pods while rolling', async () => {
    const h2 = startHarness({ autoReady: false });
    try {
      h2.apply(namespace('roll'));
      const body = deployment('api', 'roll', 4);
      body.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
      h2.apply(body);
      const ready = () => h2.list('/pods', 'roll').forEach((p) => !p.metadata.deletionTimestamp && p.spec.nodeName && !p.status?.podIP && h2.setPodReady(p, true));
      await waitFor(() => (ready(), h2.get('apps/deployments', 'roll', 'api')!.status?.availableReplicas === 4), 'first rollout');
      const rt = typeForKey(h2.registry, 'apps/deployments');
      h2.registry.patch(rt, 'roll', 'api', 'strategic', { spec: { template: { spec: { containers: [{ name: 'app', image: 'docker.io/kennethreitz/httpbin:v9' }] } } } });
      let maxActive = 0;
      await waitFor(() => {
        const active = h2.list('/pods', 'roll').filter((p) => !p.metadata.deletionTimestamp).length;
        maxActive = Math.max(maxActive, active);
        ready();
        const d = h2.get('apps/deployments', 'roll', 'api')!;
        return d.status?.updatedReplicas === 4 && d.status?.replicas === 4 && d.status?.availableReplicas === 4;
      }, 'second rollout', 5000);
      const total = h2.list('apps/replicasets', 'roll').reduce((n, rs) => n + rs.spec.replicas, 0);
      assert.equal(total, 4);
      assert.ok(maxActive <= 5, `at most replicas+maxSurge pods at once, saw ${maxActive}`);
    } finally {
      h2.stop();
    }
  });

  it('reports Available=False and unavailableReplicas while pods are not ready', async () => {
    const h2 = startHarness({ autoReady: false });
    try {
      h2.apply(namespace('slow'));
      h2.apply(deployment('slow', 'slow', 2));
      const d = await waitFor(() => {
        const x = h2.get('apps/deployments', 'slow', 'slow')!;
        return x.status?.replicas === 2 && x;
      }, 'pods created');
      assert.equal(d.status.unavailableReplicas, 2);
      assert.equal(d.status.availableReplicas, undefined);
      const available = d.status.conditions.find((c: any) => c.type === 'Available');
      assert.deepEqual([available.status, available.reason], ['False', 'MinimumReplicasUnavailable']);
      const progressing = d.status.conditions.find((c: any) => c.type === 'Progressing');
      assert.equal(progressing.reason, 'ReplicaSetUpdated');
      assert.match(progressing.message, /^ReplicaSet "slow-[a-z0-9]{10}" is progressing\.$/);
    } finally {
      h2.stop();
    }
  });

  it('rejects a selector that does not match the template labels with the real 422 message', () => {
    const body = deployment('bad', 'apps', 1);
    body.spec.selector = { matchLabels: { app: 'other' } };
    assert.throws(
      () => h.apply(body),
      (err: unknown) =>
        err instanceof ApiError &&
        err.code === 422 &&
        err.message === 'Deployment.apps "bad" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"bad"}: `selector` does not match template `labels`',
    );
  });

  it('rejects a missing selector and a selector change on update', () => {
    const body = deployment('nosel', 'apps', 1);
    delete body.spec.selector;
    assert.throws(() => h.apply(body), /spec.selector: Required value/);
    const rt = typeForKey(h.registry, 'apps/deployments');
    const d = h.get('apps/deployments', 'apps', 'web')!;
    const changed = structuredClone(d);
    changed.spec.selector = { matchLabels: { app: 'web', tier: 'x' } };
    changed.spec.template.metadata.labels.tier = 'x';
    assert.throws(
      () => h.registry.update(rt, 'apps', 'web', changed),
      (err: unknown) => err instanceof ApiError && err.code === 422 && /spec\.selector: Invalid value: v1\.LabelSelector\{MatchLabels:map\[string\]string\{"app":"web", "tier":"x"\}, MatchExpressions:\[\]v1\.LabelSelectorRequirement\(nil\)\}: field is immutable/.test(err.message),
    );
  });

  it('defaults Deployment spec and pod template like the API server', () => {
    const d = h.get('apps/deployments', 'apps', 'web')!;
    assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    assert.equal(d.spec.revisionHistoryLimit, 10);
    assert.equal(d.spec.progressDeadlineSeconds, 600);
    const tpl = d.spec.template.spec;
    assert.deepEqual([tpl.restartPolicy, tpl.dnsPolicy, tpl.terminationGracePeriodSeconds, tpl.schedulerName], ['Always', 'ClusterFirst', 30, 'default-scheduler']);
    assert.equal(tpl.serviceAccountName, undefined);
    assert.equal(tpl.containers[0].imagePullPolicy, 'IfNotPresent');
    assert.equal(tpl.containers[0].ports[0].protocol, 'TCP');
    assert.equal(tpl.containers[0].terminationMessagePath, '/dev/termination-log');
  });
});
