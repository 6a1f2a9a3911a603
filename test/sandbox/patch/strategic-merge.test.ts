// Strategic merge patch against the patch bodies kubectl actually sends to a real API server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PatchError } from '../../../src/sandbox/api/patch/errors.js';
import { applyStrategicMergePatch } from '../../../src/sandbox/api/patch/strategic-merge.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** A live Deployment with an injected sidecar the manifest does not mention. */
function makeLiveDeployment(): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', annotations: { [LAST_APPLIED]: '{"old":true}\n' } },
    spec: {
      replicas: 2,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1.25',
              imagePullPolicy: 'IfNotPresent',
              env: [{ name: 'MODE', value: 'prod' }, { name: 'OLD', value: 'x' }],
              ports: [{ containerPort: 80, protocol: 'TCP' }],
            },
            { name: 'istio-proxy', image: 'istio/proxyv2:1.22.0' },
          ],
          volumes: [{ name: 'data', emptyDir: {} }],
        },
      },
    },
  };
}

/** Applies a patch to a Deployment. */
function patchDeployment(live: unknown, patch: unknown): any {
  return applyStrategicMergePatch(live, patch, 'apps', 'Deployment');
}

describe('applyStrategicMergePatch: kubectl apply (client-side three-way patches)', () => {
  it('merges containers and env by name, honours $setElementOrder and updates last-applied', () => {
    const patch = {
      metadata: { annotations: { [LAST_APPLIED]: '{"new":true}\n' } },
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'web' }],
            containers: [
              {
                '$setElementOrder/env': [{ name: 'MODE' }, { name: 'NEW' }],
                env: [{ name: 'NEW', value: '1' }, { $patch: 'delete', name: 'OLD' }],
                image: 'nginx:1.26',
                name: 'web',
              },
            ],
          },
        },
      },
    };
    const out = patchDeployment(makeLiveDeployment(), patch);
    assert.equal(out.metadata.annotations[LAST_APPLIED], '{"new":true}\n');
    const [web, proxy] = out.spec.template.spec.containers;
    assert.equal(web.image, 'nginx:1.26');
    assert.equal(web.imagePullPolicy, 'IfNotPresent', 'server-set fields survive');
    assert.deepEqual(web.env, [{ name: 'MODE', value: 'prod' }, { name: 'NEW', value: '1' }]);
    assert.deepEqual(web.ports, [{ containerPort: 80, protocol: 'TCP' }]);
    assert.equal(proxy.name, 'istio-proxy', 'server-only containers are kept after the named ones');
    assert.equal(out.spec.template.spec.containers.length, 2);
    assert.ok(!('$setElementOrder/env' in web), 'directives never reach the stored object');
  });

  it('removes a container the manifest dropped ($patch: delete)', () => {
    const live = makeLiveDeployment();
    live.spec.template.spec.containers.push({ name: 'debug', image: 'busybox' });
    const patch = {
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'web' }], containers: [{ $patch: 'delete', name: 'debug' }] } } },
    };
    const names = patchDeployment(live, patch).spec.template.spec.containers.map((c: any) => c.name);
    assert.deepEqual(names, ['web', 'istio-proxy']);
  });

  it('reorders a keyed list with $setElementOrder alone', () => {
    const live = { spec: { template: { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } } } };
    const patch = { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] } } } };
    const out = patchDeployment(live, patch);
    assert.deepEqual(out.spec.template.spec.containers, [{ name: 'b', image: 'y' }, { name: 'a', image: 'x' }]);
  });

  it('adds a container in the position $setElementOrder gives it', () => {
    const live = { spec: { template: { spec: { containers: [{ name: 'a' }, { name: 'c' }] } } } };
    const patch = {
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }, { name: 'c' }], containers: [{ name: 'b', image: 'b' }] } } },
    };
    const names = patchDeployment(live, patch).spec.template.spec.containers.map((c: any) => c.name);
    assert.deepEqual(names, ['a', 'b', 'c']);
  });

  it('deletes finalizers via $deleteFromPrimitiveList and orders additions', () => {
    const live = { metadata: { name: 'x', finalizers: ['a.io/one', 'b.io/two'] } };
    const patch = {
      metadata: {
        '$setElementOrder/finalizers': ['a.io/one', 'c.io/three'],
        '$deleteFromPrimitiveList/finalizers': ['b.io/two'],
        finalizers: ['c.io/three'],
      },
    };
    const out = applyStrategicMergePatch(live, patch, '', 'ConfigMap');
    assert.deepEqual(out.metadata, { name: 'x', finalizers: ['a.io/one', 'c.io/three'] });
  });

  it('ignores a $deleteFromPrimitiveList for a list the object does not have', () => {
    const out = applyStrategicMergePatch({ metadata: { name: 'x' } }, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, '', 'Secret');
    assert.deepEqual(out, { metadata: { name: 'x' } });
  });

  it('clears keys outside $retainKeys (Deployment strategy switched to Recreate)', () => {
    const patch = { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } };
    assert.deepEqual(patchDeployment(makeLiveDeployment(), patch).spec.strategy, { type: 'Recreate' });
  });

  it('swaps a volume source with $retainKeys inside a keyed list item', () => {
    const patch = {
      spec: {
        template: {
          spec: {
            '$setElementOrder/volumes': [{ name: 'data' }],
            volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'cfg' }, name: 'data' }],
          },
        },
      },
    };
    assert.deepEqual(patchDeployment(makeLiveDeployment(), patch).spec.template.spec.volumes, [{ name: 'data', configMap: { name: 'cfg' } }]);
  });
});

describe('applyStrategicMergePatch: other kubectl commands', () => {
  it('kubectl rollout restart adds the restartedAt template annotation', () => {
    const patch = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2024-05-01T10:00:00Z' } } } } };
    const out = patchDeployment(makeLiveDeployment(), patch);
    assert.deepEqual(out.spec.template.metadata, {
      labels: { app: 'web' },
      annotations: { 'kubectl.kubernetes.io/restartedAt': '2024-05-01T10:00:00Z' },
    });
  });

  it('kubectl set image changes one container and keeps the others in place', () => {
    const out = patchDeployment(makeLiveDeployment(), { spec: { template: { spec: { containers: [{ image: 'nginx:1.27', name: 'web' }] } } } });
    const containers = out.spec.template.spec.containers;
    assert.deepEqual(containers.map((c: any) => [c.name, c.image]), [['web', 'nginx:1.27'], ['istio-proxy', 'istio/proxyv2:1.22.0']]);
    assert.equal(containers[0].env.length, 2);
  });

  it('kubectl scale patches the Scale subresource object', () => {
    const scale = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web' }, spec: { replicas: 2 }, status: { replicas: 2 } };
    const out = applyStrategicMergePatch(scale, { spec: { replicas: 5 } }, 'autoscaling', 'Scale');
    assert.deepEqual(out.spec, { replicas: 5 });
    assert.deepEqual(out.status, { replicas: 2 });
  });

  it('kubectl label/annotate: null removes, new keys are added', () => {
    const live = { metadata: { name: 'cfg', labels: { app: 'web', old: 'y' } }, data: { a: '1' } };
    const out = applyStrategicMergePatch(live, { metadata: { labels: { old: null, tier: 'db' } } }, '', 'ConfigMap');
    assert.deepEqual(out, { metadata: { name: 'cfg', labels: { app: 'web', tier: 'db' } }, data: { a: '1' } });
  });
});

describe('applyStrategicMergePatch: list semantics', () => {
  it('puts patch-only items before server items when no order is given (kubectl patch)', () => {
    const out = patchDeployment(makeLiveDeployment(), {
      spec: { template: { spec: { containers: [{ name: 'web', env: [{ name: 'EXTRA', value: 'e' }] }] } } },
    });
    assert.deepEqual(out.spec.template.spec.containers[0].env.map((e: any) => e.name), ['EXTRA', 'MODE', 'OLD']);
  });

  it('merges Service ports by port and replaces lists without merge metadata', () => {
    const svc = { spec: { ports: [{ name: 'http', port: 80 }], externalIPs: ['1.1.1.1'], selector: { app: 'a' } } };
    const out: any = applyStrategicMergePatch(svc, { spec: { ports: [{ name: 'web', port: 80, targetPort: 8080 }], externalIPs: ['2.2.2.2'] } }, '', 'Service');
    assert.deepEqual(out.spec.ports, [{ name: 'web', port: 80, targetPort: 8080 }]);
    assert.deepEqual(out.spec.externalIPs, ['2.2.2.2']);
  });

  it('replaces tolerations (atomic) and a list marked $patch: replace', () => {
    const pod = { spec: { tolerations: [{ key: 'a' }], containers: [{ name: 'a' }, { name: 'b' }] } };
    const out = applyStrategicMergePatch(pod, { spec: { tolerations: [{ key: 'b' }], containers: [{ $patch: 'replace' }, { name: 'c' }] } }, '', 'Pod');
    assert.deepEqual(out.spec, { tolerations: [{ key: 'b' }], containers: [{ name: 'c' }] });
  });

  it('replaces a map marked $patch: replace and empties one marked $patch: delete', () => {
    const live = { metadata: { labels: { a: '1', b: '2' }, annotations: { x: 'y' } } };
    const out = applyStrategicMergePatch(live, { metadata: { labels: { $patch: 'replace', c: '3' }, annotations: { $patch: 'delete' } } }, '', 'Pod');
    assert.deepEqual(out.metadata, { labels: { c: '3' }, annotations: {} });
  });

  it('unions finalizers without duplicates, keeping live items in their live position', () => {
    const out: any = applyStrategicMergePatch({ metadata: { finalizers: ['a', 'b'] } }, { metadata: { finalizers: ['b', 'c'] } }, '', 'Namespace');
    assert.deepEqual(out.metadata.finalizers, ['a', 'b', 'c']);
  });
});

describe('applyStrategicMergePatch: errors', () => {
  it('answers 415 for custom resources, like a real server', () => {
    assert.throws(() => applyStrategicMergePatch({}, { spec: {} }, 'networking.istio.io', 'VirtualService'), (err: unknown) => {
      assert.ok(err instanceof PatchError);
      assert.equal(err.code, 415);
      assert.equal(err.reason, 'UnsupportedMediaType');
      assert.equal(
        err.message,
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
      );
      return true;
    });
  });

  it('rejects keyed list items without the merge key and $patch: merge list items', () => {
    assert.throws(() => patchDeployment(makeLiveDeployment(), { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }), {
      code: 400,
      message: 'map: map[image:x] does not contain declared merge key: name',
    });
    assert.throws(() => patchDeployment(makeLiveDeployment(), { spec: { template: { spec: { containers: [{ $patch: 'merge' }] } } } }), {
      code: 400,
      message: 'merging lists cannot yet be specified in the patch',
    });
  });

  it('rejects a patch list whose items are not in $setElementOrder', () => {
    const live = { spec: { containers: [{ name: 'a' }] } };
    const patch = { spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'b', image: 'x' }] } };
    assert.throws(() => applyStrategicMergePatch(live, patch, '', 'Pod'), {
      code: 400,
      message: "the order in patch list:\n[map[image:x name:b]]\n doesn't match $setElementOrder list:\n[map[name:a]]",
    });
  });

  it('rejects patch keys missing from $retainKeys and a non-object body', () => {
    assert.throws(() => patchDeployment(makeLiveDeployment(), { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: { maxSurge: 1 } } } }), {
      code: 400,
      message: 'invalid patch format of retainKeys',
    });
    assert.throws(() => patchDeployment(makeLiveDeployment(), [1]), { code: 400 });
  });
});
