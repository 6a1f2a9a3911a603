// The stock kubectl, given only the sandbox's kubeconfig, runs the flows the labs rely on.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hasKubectl, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const fixture = (name: string) => `test/fixtures/manifests/${name}`;

describe('kubectl against the sandbox', { skip: !hasKubectl && 'kubectl is not installed on this machine' }, () => {
  let sb: TestSandbox;
  const ok = async (args: string[], input?: string) => {
    const r = await sb.kubectl(args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
    assert.doesNotMatch(r.stderr, /warning: error calculating patch|couldn't get|unable to/i, r.stderr);
    return r.stdout;
  };
  before(async () => {
    sb = await startTestSandbox();
  });
  after(() => sb.dispose());

  it('gets namespaces and nodes', async () => {
    const ns = await ok(['get', 'ns']);
    assert.match(ns, /^NAME\s+STATUS\s+AGE/m);
    assert.match(ns, /^default\s+Active/m);
    assert.match(ns, /^kube-system\s+Active/m);
    assert.match(await ok(['get', 'nodes']), /^istio-lab-control-plane\s+Ready\s+control-plane/m);
  });

  it('creates and labels a namespace', async () => {
    assert.match(await ok(['create', 'ns', 'demo']), /namespace\/demo created/);
    assert.match(await ok(['label', 'namespace', 'demo', 'istio-injection=enabled']), /namespace\/demo labeled/);
    assert.equal(await ok(['get', 'ns', 'demo', '-o', 'jsonpath={.metadata.labels.istio-injection}']), 'enabled');
  });

  it('applies client-side, reports unchanged on re-apply, and rolls out to READY 1/1 without Istio', async () => {
    const out = await ok(['apply', '-n', 'demo', '-f', fixture('web.yaml')]);
    assert.match(out, /deployment.apps\/web created/);
    assert.match(out, /service\/web created/);
    assert.match(await ok(['apply', '-n', 'demo', '-f', fixture('web.yaml')]), /deployment.apps\/web unchanged/);
    assert.match(await ok(['rollout', 'status', '-n', 'demo', 'deployment/web', '--timeout=20s']), /successfully rolled out/);
    assert.match(await ok(['get', 'pods', '-n', 'demo']), /^web-\S+\s+1\/1\s+Running\s+0/m);
  });

  it('applies server-side and changes the object', async () => {
    const changed = readFileSync(fixture('web.yaml'), 'utf8').replace('value: blue', 'value: green');
    const out = await ok(['apply', '--server-side', '-n', 'demo', '-f', '-'], changed);
    assert.match(out, /deployment.apps\/web serverside-applied/);
    const env = await ok(['get', 'deploy', 'web', '-n', 'demo', '-o', 'jsonpath={.spec.template.spec.containers[0].env[0].value}']);
    assert.equal(env, 'green');
    assert.match(await ok(['rollout', 'status', '-n', 'demo', 'deployment/web', '--timeout=20s']), /successfully rolled out/);
  });

  it('shows READY 2/2 after istiod is installed and the deployment restarted (§7: injection on CREATE only)', async () => {
    await ok(['apply', '-f', fixture('istiod-minimal.yaml')]);
    assert.match(await ok(['get', 'pods', '-n', 'demo']), /^web-\S+\s+1\/1\s+Running/m);
    assert.match(await ok(['rollout', 'restart', '-n', 'demo', 'deployment/web']), /restarted/);
    await ok(['rollout', 'status', '-n', 'demo', 'deployment/web', '--timeout=20s']);
    const pods = await ok(['get', 'pods', '-n', 'demo', '--field-selector=status.phase=Running']);
    assert.match(pods, /^web-\S+\s+2\/2\s+Running/m);
    const containers = await ok(['get', 'pods', '-n', 'demo', '-l', 'app=web', '-o', 'jsonpath={.items[*].spec.containers[*].name}']);
    assert.match(containers, /istio-proxy/);
  });

  it('reads logs and execs hostname in a pod', async () => {
    const name = (await ok(['get', 'pods', '-n', 'demo', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
    await ok(['logs', '-n', 'demo', name, '-c', 'web']);
    assert.equal((await ok(['exec', '-n', 'demo', name, '-c', 'web', '--', 'hostname'])).trim(), name);
    const missing = await sb.kubectl(['exec', '-n', 'demo', name, '-c', 'web', '--', 'no-such-tool']);
    assert.notEqual(missing.code, 0);
  });

  it('scales and deletes', async () => {
    assert.match(await ok(['scale', '-n', 'demo', 'deployment/web', '--replicas=2']), /scaled/);
    await ok(['rollout', 'status', '-n', 'demo', 'deployment/web', '--timeout=20s']);
    assert.equal((await ok(['get', 'deploy', 'web', '-n', 'demo', '-o', 'jsonpath={.status.readyReplicas}'])).trim(), '2');
    assert.match(await ok(['delete', '-n', 'demo', 'deployment/web', 'service/web']), /deployment.apps "web" deleted/);
    const left = await ok(['get', 'deploy,rs,svc', '-n', 'demo', '-o', 'name']);
    assert.equal(left.trim(), '');
  });

  it('applies a CRD, then an object of that CRD', async () => {
    await ok(['apply', '-f', fixture('widget-crd.yaml')]);
    await ok(['wait', '--for=condition=Established', 'crd/gadgets.example.com', '--timeout=10s']);
    assert.match(await ok(['apply', '-n', 'demo', '-f', fixture('gadget.yaml')]), /gadget.example.com\/g1 created/);
    assert.match(await ok(['get', 'gd', '-n', 'demo']), /^g1\s+/m);
  });

  it('prints the real server error for a removed API version', async () => {
    const doc = 'apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: redis\nspec: {}\n';
    const r = await sb.kubectl(['apply', '-n', 'demo', '-f', '-'], doc);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /no matches for kind "Deployment" in version "extensions\/v1beta1"/);
  });
});
