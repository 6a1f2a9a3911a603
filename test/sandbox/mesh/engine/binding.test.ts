// §1.3 gateway/mesh binding, §1.5 merging and conflicts, §1.6 no match, §6 gateway listeners.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../src/sandbox/types.js';
import { bodyOf, gw, harness, headersOf, pod, service, snapshot, statusOf, vs, world } from './harness.js';

function ingress() {
  const gwPod = pod('istio-ingressgateway-1', 'istio-system', { app: 'istio-ingressgateway', istio: 'ingressgateway' }, { sidecar: false });
  const gwSvc = service('istio-ingressgateway', 'istio-system', [{ port: 80, targetPort: 8080, name: 'http2' }, { port: 443, targetPort: 8443, name: 'https' }], { istio: 'ingressgateway' });
  return { gwPod, gwSvc };
}

const gateway = (name = 'httpbin-gateway', hosts = ['*'], extra: any = {}) => gw(name, 'default', { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts, ...extra }] });

function viaGateway(h: ReturnType<typeof harness>, gwPod: KubeObject, host: string, path: string, port = 8080) {
  return h.engine.outbound({ kind: 'gateway', pod: gwPod, port }, { method: 'GET', path, authority: host, headers: {} });
}

describe('§1.3 binding', () => {
  it('§1.3 a VirtualService bound only to a gateway does not affect sidecars', async () => {
    const w = world();
    const { gwPod, gwSvc } = ingress();
    const v = vs('reviews', 'default', { hosts: ['*'], gateways: ['httpbin-gateway'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v2' } }] }] });
    const v2 = vs('reviews-gw', 'default', { hosts: ['reviews'], gateways: ['httpbin-gateway'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v2' } }] }] });
    const h = harness(snapshot([...w.base, w.reviewsDr, gwPod, gwSvc, gateway(), v, v2]));
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) seen.add(bodyOf(await h.send(w.sleep, 'reviews:9080')));
    assert.deepEqual([...seen].sort(), ['reviews-v1', 'reviews-v2']);
    for (let i = 0; i < 5; i++) assert.equal(bodyOf(await viaGateway(h, gwPod, 'anything.example', '/')), 'reviews-v2');
  });

  it('§1.3 listing mesh and a gateway applies the rules to both', async () => {
    const w = world();
    const { gwPod, gwSvc } = ingress();
    const v = vs('reviews', 'default', { hosts: ['reviews'], gateways: ['mesh', 'default/httpbin-gateway'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' } }] }] });
    const h = harness(snapshot([...w.base, w.reviewsDr, gwPod, gwSvc, gateway('httpbin-gateway', ['*']), v]));
    assert.equal(bodyOf(await h.send(w.sleep, 'reviews:9080')), 'reviews-v1');
    assert.equal(bodyOf(await viaGateway(h, gwPod, 'reviews.default.svc.cluster.local', '/')), 'reviews-v1');
    // §1.2: the short VS host was expanded to the FQDN, so the bare Host does not match at the gateway.
    assert.equal(statusOf(await viaGateway(h, gwPod, 'reviews', '/')), 404);
  });

  it('§1.3 a <ns>/<name> gateway reference binds a VirtualService in another namespace', async () => {
    const w = world();
    const { gwPod, gwSvc } = ingress();
    const sharedGw = gw('shared', 'istio-system', { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] });
    const v = vs('httpbin', 'default', { hosts: ['*'], gateways: ['istio-system/shared'], http: [{ route: [{ destination: { host: 'httpbin', port: { number: 8000 } } }] }] });
    const wrong = vs('nope', 'default', { hosts: ['*'], gateways: ['shared'], http: [{ route: [{ destination: { host: 'reviews' } }] }] });
    const h = harness(snapshot([...w.base, gwPod, gwSvc, sharedGw, v, wrong]));
    assert.equal(bodyOf(await viaGateway(h, gwPod, 'x.example', '/')), 'httpbin-1');
  });

  it('§1.3 match.gateways overrides the top-level list for that match block', async () => {
    const w = world();
    const { gwPod, gwSvc } = ingress();
    const v = vs('reviews', 'default', {
      hosts: ['reviews'],
      gateways: ['mesh', 'httpbin-gateway'],
      http: [
        { match: [{ gateways: ['httpbin-gateway'] }], route: [{ destination: { host: 'reviews', subset: 'v2' } }] },
        { route: [{ destination: { host: 'reviews', subset: 'v1' } }] },
      ],
    });
    const h = harness(snapshot([...w.base, w.reviewsDr, gwPod, gwSvc, gateway('httpbin-gateway', ['*.svc.cluster.local']), v]));
    assert.equal(bodyOf(await h.send(w.sleep, 'reviews:9080')), 'reviews-v1');
    assert.equal(bodyOf(await viaGateway(h, gwPod, 'reviews.default.svc.cluster.local', '/')), 'reviews-v2');
  });

  it('§1.3 exportTo "." hides a VirtualService from other namespaces', async () => {
    const w = world();
    const other = pod('client', 'other', { app: 'client' });
    const v = vs('reviews', 'default', { hosts: ['reviews'], exportTo: ['.'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v2' } }] }] });
    const h = harness(snapshot([...w.base, w.reviewsDr, other, v]));
    for (let i = 0; i < 4; i++) assert.equal(bodyOf(await h.send(w.sleep, 'reviews:9080')), 'reviews-v2');
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) seen.add(bodyOf(await h.send(other, 'reviews.default:9080')));
    assert.equal(seen.size, 2);
  });
});

describe('§1.5 merging and conflicts', () => {
  it('§1.5 at a gateway, VirtualServices for one host merge and catch-alls move last', async () => {
    const w = world();
    const { gwPod, gwSvc } = ingress();
    const first = vs('catchall', 'default', { hosts: ['app.example.com'], gateways: ['httpbin-gateway'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' } }] }] });
    const second = vs('specific', 'default', { hosts: ['app.example.com'], gateways: ['httpbin-gateway'], http: [{ match: [{ uri: { prefix: '/httpbin' } }], route: [{ destination: { host: 'httpbin' } }] }] });
    const h = harness(snapshot([...w.base, w.reviewsDr, gwPod, gwSvc, gateway(), first, second]));
    assert.equal(bodyOf(await viaGateway(h, gwPod, 'app.example.com', '/httpbin/get')), 'httpbin-1');
    assert.equal(bodyOf(await viaGateway(h, gwPod, 'app.example.com', '/other')), 'reviews-v1');
  });

  it('§1.5 for the mesh, conflicting VirtualServices for one host: the oldest wins (⚠ creation time)', async () => {
    const w = world();
    const older = vs('a-older', 'default', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' } }] }] });
    const newer = vs('b-newer', 'default', { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v2' } }] }] });
    const h = harness(snapshot([...w.base, w.reviewsDr, newer, older]));
    for (let i = 0; i < 4; i++) assert.equal(bodyOf(await h.send(w.sleep, 'reviews:9080')), 'reviews-v1');
  });
});

describe('§1.6 nothing matches', () => {
  it('§1.6 sidecar: a request matching no VS rule gets 404 NR from the client sidecar (no fallback)', async () => {
    const w = world();
    const v = vs('reviews', 'default', { hosts: ['reviews'], http: [{ match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [{ destination: { host: 'reviews', subset: 'v2' } }] }] });
    const h = harness(snapshot([...w.base, w.reviewsDr, v]));
    const r = await h.send(w.sleep, 'reviews:9080', '/reviews/0');
    assert.equal(statusOf(r), 404);
    assert.equal(bodyOf(r), '');
    assert.equal(h.deliveries.length, 0);
    assert.match(h.logsOf(w.sleep)[0], /" 404 NR route_not_found /);
  });

  it('§1.6 gateway: a Host no VirtualService binds gets 404 NR with server: istio-envoy', async () => {
    const w = world();
    const { gwPod, gwSvc } = ingress();
    const v = vs('httpbin', 'default', { hosts: ['httpbin.example.com'], gateways: ['httpbin-gateway'], http: [{ match: [{ uri: { prefix: '/status' } }], route: [{ destination: { host: 'httpbin', port: { number: 8000 } } }] }] });
    const h = harness(snapshot([...w.base, gwPod, gwSvc, gateway('httpbin-gateway', ['httpbin.example.com']), v]));
    const r = await viaGateway(h, gwPod, 'other.example.com', '/status/200');
    assert.equal(statusOf(r), 404);
    assert.equal(headersOf(r).server, 'istio-envoy');
    assert.equal(statusOf(await viaGateway(h, gwPod, 'httpbin.example.com', '/headers')), 404);
    assert.equal(statusOf(await viaGateway(h, gwPod, 'httpbin.example.com:8080', '/status/200')), 200);
  });

  it('§1.6 gateway: a Gateway with no bound VirtualService answers 404 to everything', async () => {
    const { gwPod, gwSvc } = ingress();
    const h = harness(snapshot([gwPod, gwSvc, gateway()]));
    assert.equal(statusOf(await viaGateway(h, gwPod, 'x', '/')), 404);
  });

  it('§1.6 a host without a VirtualService gets the default route to the whole service', async () => {
    const w = world();
    const h = harness(snapshot([...w.base]));
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) seen.add(bodyOf(await h.send(w.sleep, 'reviews:9080')));
    assert.deepEqual([...seen].sort(), ['reviews-v1', 'reviews-v2']);
    assert.match(h.logsOf(w.sleep)[0], / default$/);
  });
});

describe('§6 gateway listeners', () => {
  it('§6 port translation: a server on Service port 80 listens on targetPort 8080', () => {
    const { gwPod, gwSvc } = ingress();
    const h = harness(snapshot([gwPod, gwSvc, gateway()]));
    assert.equal(h.engine.gatewayListens(gwPod, 8080), true);
    assert.equal(h.engine.gatewayListens(gwPod, 80), false);
    assert.deepEqual(h.engine.gatewayPorts(gwPod), [8080]);
  });

  it('§6 a server port that is no Service port binds as written (Bookinfo 8080)', () => {
    const { gwPod, gwSvc } = ingress();
    const g = gw('bookinfo-gateway', 'default', { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 8080, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] });
    const h = harness(snapshot([gwPod, gwSvc, g]));
    assert.deepEqual(h.engine.gatewayPorts(gwPod), [8080]);
  });

  it('§6 no Gateway resource → no listener', () => {
    const { gwPod, gwSvc } = ingress();
    const h = harness(snapshot([gwPod, gwSvc]));
    assert.equal(h.engine.gatewayListens(gwPod, 8080), false);
    assert.deepEqual(h.engine.gatewayPorts(gwPod), []);
  });

  it('§6 tls.httpsRedirect answers 301 to https', async () => {
    const { gwPod, gwSvc } = ingress();
    const h = harness(snapshot([gwPod, gwSvc, gateway('g', ['secure.example.com'], { tls: { httpsRedirect: true } })]));
    const r = await viaGateway(h, gwPod, 'secure.example.com', '/a?b=1');
    assert.equal(statusOf(r), 301);
    assert.equal(headersOf(r).location, 'https://secure.example.com/a?b=1');
  });

  it('§6 server hosts with a namespace only bind VirtualServices from that namespace', async () => {
    const w = world();
    const { gwPod, gwSvc } = ingress();
    const g = gw('g', 'default', { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['prod/*'] }] });
    const v = vs('httpbin', 'default', { hosts: ['*'], gateways: ['g'], http: [{ route: [{ destination: { host: 'httpbin' } }] }] });
    const h = harness(snapshot([...w.base, gwPod, gwSvc, g, v]));
    assert.equal(statusOf(await viaGateway(h, gwPod, 'x', '/')), 404);
  });
});
