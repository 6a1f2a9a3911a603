// The `session` option of the http, traffic and latency probes against the sandbox's Bookinfo (§11.2):
// Istio's request-routing task (destination-rule-all + reviews-test-v2) through the ingress gateway and
// from the curl pod. Logged in as jason (POST /login, form username=jason, cookie kept, redirect not
// followed) the page shows reviews v2's black stars; anonymous pages none; a wrong login path fails
// with a message that says so.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { connectCluster } from '../../src/cluster/kube.js';
import type { Cluster, KubeObject } from '../../src/cluster/types.js';
import { httpProbe } from '../../src/probes/http.js';
import { trafficProbe } from '../../src/probes/traffic.js';
import { latencyProbe } from '../../src/probes/latency.js';
import { eventually, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { createContext, parseCheck } from './helpers.js';

const NS = 'bookinfo';
const NET = 'manifests/samples/bookinfo-networking';
const JASON = { path: '/login', form: { username: 'jason' } };
const BLACK_STARS = { bodyRegex: '(<svg id="glyphicon glyphicon-star"[\\s\\S]*){9}', bodyContains: ['text-black-500', 'Reviews served by:'] };

describe('session (login) option on the sandbox Bookinfo (§11.2)', () => {
  let sb: TestSandbox;
  let cluster: Cluster;
  const ctx = () => createContext(cluster, { namespace: NS });

  const apply = async (file: string, namespace?: string) => {
    for (const d of (yaml.loadAll(readFileSync(file, 'utf8')) as KubeObject[]).filter(Boolean)) {
      if (!d.metadata.namespace && !['Namespace', 'CustomResourceDefinition'].includes(d.kind)) d.metadata.namespace = namespace ?? 'default';
      await eventually(() => cluster.apply(d, { fieldManager: 'test', force: true }), 10000);
    }
  };

  before(async () => {
    sb = await startTestSandbox();
    cluster = await connectCluster({ kubeconfig: sb.handle.kubeconfigPath });
    for (const f of ['manifests/istio/crds.yaml', 'manifests/istio/sandbox-install.yaml']) await apply(f);
    await cluster.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS, labels: { 'istio-injection': 'enabled' } } }, { fieldManager: 'test', force: true });
    for (const f of ['manifests/samples/bookinfo.yaml', 'manifests/samples/curl.yaml', `${NET}/bookinfo-gateway.yaml`, `${NET}/destination-rule-all.yaml`, `${NET}/virtual-service-all-v1.yaml`, `${NET}/virtual-service-reviews-test-v2.yaml`]) await apply(f, NS);
    await eventually(async () => {
      const pods = (await cluster.list('v1', 'Pod', { namespace: NS })).items;
      return pods.length === 7 && pods.every((p) => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));
    }, 20000);
    // Past the mesh's config propagation: jason's page comes from v2.
    await eventually(async () => (await httpProbe(parseCheck({ kind: 'http', path: '/productpage', session: JASON, expect: BLACK_STARS }), ctx())).ok, 10000);
  });
  after(async () => {
    cluster?.close();
    await sb?.dispose();
  });

  it('http from the ingress signed in as jason: 9 black stars from reviews v2, and the message says how it signed in', async () => {
    const r = await httpProbe(parseCheck({ kind: 'http', path: '/productpage', session: JASON, expect: { ...BLACK_STARS, bodyRegex: 'Reviews served by:\\s+reviews-v2-' } }), ctx());
    assert.equal(r.ok, true, r.message);
    assert.match(r.message, /^200 in .* \(GET \/productpage from ingress 127\.0\.0\.1:\d+ \(NodePort\), signed in by POST \/login\)$/);
  });

  it('http from the ingress without a session: the same page has no stars (reviews v1)', async () => {
    const anonymous = await httpProbe(parseCheck({ kind: 'http', path: '/productpage', expect: { bodyNotContains: 'glyphicon glyphicon-star', bodyRegex: 'Reviews served by:\\s+reviews-v1-' } }), ctx());
    assert.equal(anonymous.ok, true, anonymous.message);
    const expectingStars = await httpProbe(parseCheck({ kind: 'http', path: '/productpage', expect: BLACK_STARS }), ctx());
    assert.equal(expectingStars.ok, false);
    assert.match(expectingStars.message, /body does not match/);
  });

  it('traffic from the ingress: every page of jason\'s is v2, every anonymous page v1', async () => {
    const classify = { by: 'bodyRegex', pattern: 'Reviews served by:\\s+reviews-(v[0-9])-' };
    const jason = await trafficProbe(parseCheck({ kind: 'traffic', path: '/productpage', session: JASON, classify, expect: { split: { v2: 100 } } }), ctx());
    assert.equal(jason.ok, true, jason.message);
    assert.match(jason.message, /signed in by POST \/login$/);
    const anonymous = await trafficProbe(parseCheck({ kind: 'traffic', path: '/productpage', classify, expect: { split: { v2: 100 } } }), ctx());
    assert.equal(anonymous.ok, false);
    assert.match(anonymous.message, /v1 100\.0 %/);
  });

  it('from the curl pod (curl exec\'d through its sidecar): the login to productpage:9080 signs jason in too', async () => {
    const from = { deployment: 'curl', container: 'curl' };
    const r = await httpProbe(parseCheck({ kind: 'http', from, host: 'productpage:9080', path: '/productpage', session: JASON, expect: BLACK_STARS }), ctx());
    assert.equal(r.ok, true, r.message);
    assert.match(r.message, /from pod bookinfo\/curl-[\w-]+ \(container curl\), signed in by POST \/login\)$/);
    const anonymous = await httpProbe(parseCheck({ kind: 'http', from, host: 'productpage:9080', path: '/productpage', expect: { bodyNotContains: 'glyphicon glyphicon-star' } }), ctx());
    assert.equal(anonymous.ok, true, anonymous.message);
  });

  it('latency checks sign in too: jason\'s 7 s ratings delay becomes a 6 s page (2 × 3 s in productpage)', async () => {
    await apply(`${NET}/virtual-service-ratings-test-delay.yaml`, NS);
    const check = parseCheck({ kind: 'latency', path: '/productpage', session: JASON, requests: 2, expect: { slowerThan: '5500ms', fasterThan: '7500ms' } });
    const r = await eventually(async () => {
      const res = await latencyProbe(check, ctx());
      return res.ok ? res : undefined;
    }, 20000, 100);
    assert.match(r.message, /signed in by POST \/login$/);
    await cluster.delete({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', name: 'ratings', namespace: NS });
  });

  it('a login the gateway does not route (/signin) fails with the 404 and how to fix it', async () => {
    await assert.rejects(
      httpProbe(parseCheck({ kind: 'http', path: '/productpage', session: { path: '/signin', form: { username: 'jason' } }, expect: BLACK_STARS }), ctx()),
      /the session's login \(POST \/signin from ingress 127\.0\.0\.1:\d+ \(NodePort\)\) answered 404, so no one is signed in; check session\.path and method/,
    );
    await assert.rejects(
      httpProbe(parseCheck({ kind: 'http', path: '/productpage', session: { path: '/login', method: 'GET', form: { username: 'jason' } }, expect: BLACK_STARS }), ctx()),
      /answered 405/,
      'productpage\'s /login only takes POST',
    );
  });
});
