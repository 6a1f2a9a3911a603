import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkApiVersion, createKindRegistry, registerCustomResource } from '../../src/validate/index.js';

const registry = createKindRegistry();

function check(apiVersion: string, kind: string): string[] {
  return checkApiVersion(apiVersion, kind, registry).problems.map((p) => `${p.severity} ${p.path.join('.')}: ${p.message}`);
}

describe('checkApiVersion', () => {
  it('accepts current built-in, Gateway API and Istio kinds', () => {
    for (const [apiVersion, kind] of [
      ['v1', 'Service'],
      ['apps/v1', 'Deployment'],
      ['autoscaling/v1', 'HorizontalPodAutoscaler'],
      ['gateway.networking.k8s.io/v1', 'HTTPRoute'],
      ['networking.istio.io/v1', 'VirtualService'],
      ['networking.istio.io/v1beta1', 'DestinationRule'],
      ['networking.istio.io/v1alpha3', 'EnvoyFilter'],
      ['security.istio.io/v1', 'PeerAuthentication'],
      ['telemetry.istio.io/v1', 'Telemetry'],
      ['extensions.istio.io/v1alpha1', 'WasmPlugin'],
    ]) {
      assert.deepEqual(check(apiVersion, kind), [], `${apiVersion} ${kind}`);
      assert.equal(checkApiVersion(apiVersion, kind, registry).known?.kind, kind);
    }
  });

  it('warns about alpha Istio versions that have a v1', () => {
    assert.deepEqual(check('networking.istio.io/v1alpha3', 'Gateway'), [
      'warning apiVersion: networking.istio.io/v1alpha3 is still served, but networking.istio.io/v1 is preferred (Istio 1.22+)',
    ]);
    assert.deepEqual(check('telemetry.istio.io/v1alpha1', 'Telemetry'), [
      'warning apiVersion: telemetry.istio.io/v1alpha1 is still served, but telemetry.istio.io/v1 is preferred (Istio 1.22+)',
    ]);
  });

  it('flags legacy Istio APIs with their replacement', () => {
    assert.match(check('config.istio.io/v1alpha2', 'DestinationPolicy')[0], /^error kind: .*use a DestinationRule/);
    assert.match(check('config.istio.io/v1alpha2', 'EgressRule')[0], /^error kind: .*use a ServiceEntry/);
    assert.match(check('config.istio.io/v1alpha2', 'QuotaSpecBinding')[0], /Mixer quota .*local_ratelimit/);
    assert.match(check('config.istio.io/v1alpha2', 'handler')[0], /Mixer API .*Telemetry API/);
    assert.match(check('config.istio.io/v1alpha2', 'instance')[0], /Mixer API/);
    assert.match(check('authentication.istio.io/v1alpha1', 'Policy')[0], /PeerAuthentication \(mTLS\) and RequestAuthentication \(JWT\)/);
    assert.match(check('authentication.istio.io/v1alpha1', 'MeshPolicy')[0], /PeerAuthentication .* named "default" in the root namespace/);
  });

  it('flags removed Kubernetes apiVersions with the current one', () => {
    assert.deepEqual(check('apps/v1beta1', 'Deployment'), [
      'error apiVersion: Deployment is no longer served at apps/v1beta1 (removed in Kubernetes 1.16); use apps/v1',
    ]);
    assert.deepEqual(check('extensions/v1beta1', 'Ingress'), [
      'error apiVersion: Ingress is no longer served at extensions/v1beta1 (removed in Kubernetes 1.22); use networking.k8s.io/v1',
    ]);
  });

  it('names the right group for a kind in the wrong one, and unserved versions', () => {
    assert.deepEqual(check('v1', 'Deployment'), ['error apiVersion: Deployment is not in the core API (v1); use apps/v1']);
    assert.deepEqual(check('networking.istio.io/v2', 'VirtualService'), [
      'error apiVersion: VirtualService is not served at networking.istio.io/v2; use networking.istio.io/v1 (also v1beta1, v1alpha3)',
    ]);
  });

  it('suggests near misses for kinds and groups; only warns about unknown groups', () => {
    assert.deepEqual(check('apps/v1', 'Deploymnet'), ['error kind: unknown kind "Deploymnet" in apps (did you mean "Deployment"?)']);
    assert.deepEqual(check('security.istoi.io/v1', 'PeerAuthentication'), ['error apiVersion: unknown API group "security.istoi.io" (did you mean "security.istio.io"?)']);
    assert.deepEqual(check('cert-manager.io/v1', 'Certificate'), [
      'warning apiVersion: unknown API group "cert-manager.io": istio-lab cannot check Certificate; include its CustomResourceDefinition among the checked manifests if the lab installs it',
    ]);
  });

  it('rejects malformed apiVersion and kind', () => {
    assert.match(check('Apps/V1', 'Deployment')[0], /^error apiVersion: apiVersion "Apps\/V1" must be/);
    assert.match(check('apps/v1', 'deploy ment')[0], /^error kind: kind "deploy ment" must be a single word/);
  });

  it('learns kinds from CustomResourceDefinitions', () => {
    const withCrd = createKindRegistry();
    registerCustomResource(withCrd, { spec: { group: 'example.com', names: { kind: 'Widget' }, versions: [{ name: 'v1', served: true }, { name: 'v0', served: false }] } });
    assert.deepEqual(checkApiVersion('example.com/v1', 'Widget', withCrd).problems, []);
    assert.match(checkApiVersion('example.com/v0', 'Widget', withCrd).problems[0].message, /not served at example.com\/v0; use example.com\/v1/);
  });
});
