// Which labs a multi-lab run resets once they pass: never a lab a later lab needs (directly or
// through its own prerequisites), never the last target, never anything in a single-lab run.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { labsToResetAfterPassing } from '../../src/runner/isolation.js';
import type { PlannedLab } from '../../src/runner/run-labs.js';

function plan(...labs: [ref: string, requires: string[], target: boolean][]): PlannedLab[] {
  return labs.map(([ref, requires, target]) => {
    const [track, name] = ref.split('/');
    return { target, loaded: { lab: { track, name, requires } } } as unknown as PlannedLab;
  });
}

const names = (p: PlannedLab[], s: Set<number>) => [...s].map((i) => `${p[i].loaded.lab.track}/${p[i].loaded.lab.name}`);

describe('labs reset between the labs of one run', () => {
  it('a single target keeps everything, prerequisites included', () => {
    const p = plan(['core/install', [], false], ['core/sidecar-injection', ['install'], false], ['core/traffic-shifting', ['sidecar-injection'], true]);
    assert.deepEqual(names(p, labsToResetAfterPassing(p)), []);
  });

  it('run --all resets each leaf lab except the last, and keeps what later labs require', () => {
    const p = plan(
      ['core/install', [], true],
      ['core/sidecar-injection', ['install'], true],
      ['core/ingress-gateway', ['sidecar-injection'], true],
      ['core/request-routing', ['sidecar-injection'], true],
      ['core/rate-limiting', ['ingress-gateway'], true],
      ['core/traffic-shifting', ['sidecar-injection'], true],
    );
    assert.deepEqual(names(p, labsToResetAfterPassing(p)), ['core/request-routing', 'core/rate-limiting']);
  });

  it('follows requires transitively and across tracks', () => {
    const p = plan(
      ['core/install', [], true],
      ['core/ingress-gateway', ['install'], true],
      ['bookinfo/deploy', ['core/ingress-gateway'], true],
      ['bookinfo/routing', ['deploy'], true],
      ['core/mtls', ['install'], true],
    );
    // bookinfo/routing needs bookinfo/deploy, which needs core/ingress-gateway: both stay.
    assert.deepEqual(names(p, labsToResetAfterPassing(p)), ['bookinfo/routing']);
  });
});
