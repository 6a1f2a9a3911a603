// §1.2 host resolution and §9 egress through the sidecar.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bodyOf, harness, headersOf, pod, reply, se, service, snapshot, statusOf, vs, world } from './harness.js';
import { expandHost, splitAuthority } from '../../../../src/sandbox/mesh/routing/hosts.js';
import { selectVirtualHost } from '../../../../src/sandbox/mesh/routing/hosts.js';

describe('§1.2 hosts', () => {
  it('§1.2 a short name in a VirtualService expands with the VirtualService namespace', () => {
    assert.equal(expandHost('reviews', 'foo', 'cluster.local'), 'reviews.foo.svc.cluster.local');
    assert.equal(expandHost('reviews.bar', 'foo', 'cluster.local'), 'reviews.bar');
    assert.deepEqual(splitAuthority('HTTPBIN:8000'), { host: 'httpbin', port: 8000 });
  });

  it('§1.2 virtual-host selection order: exact, longest *.suffix, longest prefix*, then *', () => {
    const vhosts = [{ n: 'any', domains: ['*'] }, { n: 'prefix', domains: ['api.*'] }, { n: 'suffix', domains: ['*.example.com'] }, { n: 'longsuffix', domains: ['*.api.example.com'] }, { n: 'exact', domains: ['api.example.com'] }];
    assert.equal(selectVirtualHost(vhosts, 'api.example.com')?.n, 'exact');
    assert.equal(selectVirtualHost(vhosts, 'v1.api.example.com')?.n, 'longsuffix');
    assert.equal(selectVirtualHost(vhosts, 'www.example.com')?.n, 'suffix');
    assert.equal(selectVirtualHost(vhosts, 'api.other.org')?.n, 'prefix');
    assert.equal(selectVirtualHost(vhosts, 'zzz')?.n, 'any');
  });

  it('§1.2 same-namespace client reaches a service by bare name, svc.ns, svc.ns.svc, FQDN and ClusterIP, ignoring :port', async () => {
    const w = world();
    const h = harness(snapshot(w.base));
    const ip = w.httpbinSvc.spec.clusterIP;
    for (const a of ['httpbin:8000', 'httpbin.default:8000', 'httpbin.default.svc:8000', 'httpbin.default.svc.cluster.local:8000', `${ip}:8000`]) {
      const r = await h.send(w.sleep, a, '/get');
      assert.equal(statusOf(r), 200, a);
      assert.equal(bodyOf(r), 'httpbin-1');
    }
    assert.ok(h.deliveries.every((d) => d.pod === 'httpbin-1' && d.port === 8080), 'targetPort 8080');
  });

  it('§1.2 a client in another namespace does not match the bare short name (passthrough → DNS failure)', async () => {
    const w = world();
    const other = pod('client', 'other', { app: 'client' });
    const h = harness(snapshot([...w.base, other]));
    assert.equal(statusOf(await h.send(other, 'httpbin:8000')), 'dns');
    assert.equal(statusOf(await h.send(other, 'httpbin.default:8000')), 200);
  });

  it('§1.2 named targetPort resolves through the pod container ports', async () => {
    const p = pod('web-1', 'default', { app: 'web' }, { ports: [{ containerPort: 3000, name: 'web' }] });
    const client = pod('c', 'default', { app: 'c' });
    const h = harness(snapshot([p, client, service('web', 'default', [{ port: 80, targetPort: 'web' }])]));
    assert.equal(statusOf(await h.send(client, 'web')), 200);
    assert.equal(h.deliveries[0].port, 3000);
  });

  it('§1.2 no port in the authority means port 80', async () => {
    const p = pod('web-1', 'default', { app: 'web' });
    const client = pod('c', 'default', { app: 'c' });
    const h = harness(snapshot([p, client, service('web', 'default', [{ port: 80, targetPort: 8080 }])]), { external: async () => reply(200, 'outside') });
    assert.equal(bodyOf(await h.send(client, 'web')), 'web-1');
    assert.equal(h.deliveries[0].port, 8080);
  });

  it('§1.2 a VirtualService host written as a short name matches the service in the VirtualService namespace', async () => {
    const w = world();
    const v = vs('reviews', 'default', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v2' } }] }] });
    const h = harness(snapshot([...w.base, w.reviewsDr, v]));
    for (let i = 0; i < 5; i++) assert.equal(bodyOf(await h.send(w.sleep, 'reviews:9080')), 'reviews-v2');
  });
});

describe('§9 egress', () => {
  it('§9 ALLOW_ANY: an unknown host passes through to the external network (PassthroughCluster)', async () => {
    const w = world();
    const h = harness(snapshot(w.base), { external: async () => reply(200, 'cnn') });
    const r = await h.send(w.sleep, 'edition.cnn.com', '/politics');
    assert.equal(bodyOf(r), 'cnn');
    assert.equal(h.externals[0].authority, 'edition.cnn.com');
    assert.match(h.logsOf(w.sleep)[0], / PassthroughCluster .* allow_any$/);
  });

  it('§9 ALLOW_ANY with no external network configured: DNS failure surfaces as a transport failure', async () => {
    const w = world();
    const h = harness(snapshot(w.base));
    assert.equal(statusOf(await h.send(w.sleep, 'nowhere.example')), 'dns');
  });

  it('§9/§13 REGISTRY_ONLY: an unknown host on an HTTP port gets a direct 502 with an empty body', async () => {
    const w = world();
    const h = harness(snapshot([...w.base, service('web', 'default', [{ port: 80 }])], { outboundTrafficPolicy: 'REGISTRY_ONLY' }));
    const r = await h.send(w.sleep, 'edition.cnn.com');
    assert.equal(statusOf(r), 502);
    assert.equal(bodyOf(r), '');
    assert.equal(h.externals.length, 0);
    assert.match(h.logsOf(w.sleep)[0], /" 502 - direct_response .* block_all$/);
  });

  it('§9 REGISTRY_ONLY: an unknown host on a port no service uses goes to the BlackHoleCluster (reset)', async () => {
    const w = world();
    const h = harness(snapshot(w.base, { outboundTrafficPolicy: 'REGISTRY_ONLY' }));
    assert.equal(statusOf(await h.send(w.sleep, 'example.com:4444')), 'reset');
  });

  it('§9 REGISTRY_ONLY: a ServiceEntry makes the host routable again, with X-Envoy-Decorator-Operation upstream', async () => {
    const w = world();
    const entry = se('httpbin-ext', 'default', { hosts: ['httpbin.org'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS', location: 'MESH_EXTERNAL' });
    const h = harness(snapshot([...w.base, entry], { outboundTrafficPolicy: 'REGISTRY_ONLY' }), { external: async (_a, req) => reply(200, JSON.stringify(req.headers)) });
    const r = await h.send(w.sleep, 'httpbin.org', '/headers');
    assert.equal(statusOf(r), 200);
    assert.equal(h.externals[0].authority, 'httpbin.org:80');
    assert.equal(JSON.parse(bodyOf(r))['x-envoy-decorator-operation'], 'httpbin.org:80/*');
    assert.match(h.logsOf(w.sleep)[0], /outbound\|80\|\|httpbin\.org/);
    assert.equal(headersOf(r).server, 'envoy');
  });

  it('§9 a VirtualService timeout applies to a ServiceEntry host (504 after the timeout)', async () => {
    const w = world();
    const entry = se('httpbin-ext', 'default', { hosts: ['httpbin.org'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS' });
    const v = vs('httpbin-ext', 'default', { hosts: ['httpbin.org'], http: [{ timeout: '0.05s', route: [{ destination: { host: 'httpbin.org' } }] }] });
    const h = harness(snapshot([...w.base, entry, v], { outboundTrafficPolicy: 'REGISTRY_ONLY' }), { external: () => new Promise((r) => setTimeout(() => r(reply(200)), 300)) });
    const r = await h.send(w.sleep, 'httpbin.org', '/delay/5');
    assert.equal(statusOf(r), 504);
    assert.equal(bodyOf(r), 'upstream request timeout');
  });
});

describe('§9 passthrough to pod IPs', () => {
  it('§9 ALLOW_ANY: a request to a pod IP goes through PassthroughCluster to that pod, in plaintext', async () => {
    const w = world();
    const h = harness(snapshot(w.base));
    const r = await h.send(w.sleep, `${w.httpbin.status.podIP}:8080`, '/get');
    assert.equal(bodyOf(r), 'httpbin-1');
    assert.equal(h.deliveries[0].mtls, false);
    assert.match(h.logsOf(w.sleep).at(-1)!, / PassthroughCluster .* allow_any$/);
  });
});
