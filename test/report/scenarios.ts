// Scripted runner event sequences the reporter tests replay (a failing run, one with a skipped step, an interrupted one).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent } from '../../src/runner/events.js';

const sandbox = { context: 'istio-lab-sandbox', server: 'https://127.0.0.1:41234', sandbox: true };

/** One lab: a passing step, then a failing step with observed data, a Markdown hint and diagnostics. */
export function failingRun(): RunEvent[] {
  const lab = 'traffic/canary';
  return [
    { type: 'run-start', mode: 'run', target: sandbox, labs: [lab], dryRun: false },
    { type: 'notice', message: `sandbox state: ${join(tmpdir(), 'istio-lab-Xy12Ab', 'state.json')}` },
    { type: 'lab-start', lab, title: 'Canary with weighted routing', steps: 2 },
    { type: 'step-start', lab, step: 'deploy-v2', title: 'Deploy reviews v2', index: 0 },
    {
      type: 'action', lab, step: 'deploy-v2', summary: 'apply manifests/reviews-v2.yaml',
      changes: [{ ref: 'deployment.apps/reviews-v2', result: 'created' }, { ref: 'destinationrule.networking.istio.io/reviews', result: 'configured' }],
    },
    { type: 'wait', lab, step: 'deploy-v2', summary: 'rollout deployment/reviews-v2', durationMs: 1200, status: 'passed' },
    { type: 'check', lab, step: 'deploy-v2', phase: 'check', outcome: { kind: 'resource', name: 'reviews-v2 ready', status: 'passed', message: '2/2 replicas ready', attempts: 2, durationMs: 400 } },
    { type: 'step-end', lab, step: 'deploy-v2', status: 'passed', durationMs: 3400 },
    { type: 'step-start', lab, step: 'split-75-25', title: 'Split traffic 75/25', index: 1 },
    { type: 'action', lab, step: 'split-75-25', summary: 'apply manifests/reviews-vs.yaml', changes: [{ ref: 'virtualservice.networking.istio.io/reviews', result: 'created' }] },
    { type: 'check', lab, step: 'split-75-25', phase: 'check', outcome: { kind: 'http', name: 'productpage reachable', status: 'passed', message: '200 OK', attempts: 1, durationMs: 85 } },
    {
      type: 'check', lab, step: 'split-75-25', phase: 'check',
      outcome: {
        kind: 'traffic', name: '75/25 split', status: 'failed', message: 'v2 observed 41% (95% CI 35–47%) after 200 requests', attempts: 3, durationMs: 5100,
        observed: {
          requests: 200,
          distribution: { v1: 118, v2: 82 },
          expected: { v1: 75, v2: 25 },
          statusCodes: { '200': 200 },
          samples: [{ status: 200, body: 'reviews-v1-7d8f9c-abcde' }, { status: 200, body: 'reviews-v2-5b6c7d-fghij' }],
          elapsed: '5.1s',
        },
      },
    },
    {
      type: 'step-end', lab, step: 'split-75-25', status: 'failed', durationMs: 6200,
      hint: '## Weights\nThe **weights** in the `reviews` VirtualService must add up to 100.\n\n- Check them with `kubectl get virtualservice reviews -o yaml`\n- See [traffic shifting](https://istio.io/latest/docs/tasks/traffic-management/traffic-shifting/)',
      diagnostics: 'VirtualService default/reviews:\n  route[0] subset v1 weight 50\n  route[1] subset v2 weight 50\n',
    },
    { type: 'lab-end', lab, status: 'failed', durationMs: 9600 },
    { type: 'run-end', status: 'failed', durationMs: 12300, interrupted: false, summary: { passed: 1, failed: 1, skipped: 0 }, requests: 203 },
  ];
}

/** Two labs in verify mode on a kubeconfig cluster: a wait times out, so the next step is skipped. */
export function skippedRun(): RunEvent[] {
  const a = 'core/install';
  const b = 'security/mtls';
  const target = { context: 'kind-istio', server: 'https://127.0.0.1:6443', sandbox: false };
  return [
    { type: 'run-start', mode: 'verify', target, labs: [a, b], dryRun: false },
    { type: 'lab-start', lab: a, title: 'Install Istio', steps: 3 },
    { type: 'step-start', lab: a, step: 'istio-base', title: 'Install the base chart', index: 0 },
    { type: 'check', lab: a, step: 'istio-base', phase: 'check', outcome: { kind: 'resource', name: 'CRDs established', status: 'passed', message: '14 CRDs', attempts: 1, durationMs: 120 } },
    { type: 'step-end', lab: a, step: 'istio-base', status: 'passed', durationMs: 340 },
    { type: 'step-start', lab: a, step: 'istiod', title: 'Run istiod', index: 1 },
    { type: 'wait', lab: a, step: 'istiod', summary: 'rollout deployment/istiod', durationMs: 60000, status: 'failed', message: 'timed out: 0/1 replicas available' },
    { type: 'step-end', lab: a, step: 'istiod', status: 'failed', durationMs: 60100, diagnostics: 'pod istiod-6b7c9d-x2x4z: ImagePullBackOff\n  docker.io/istio/pilot:1.99 not found' },
    { type: 'step-start', lab: a, step: 'ingress', title: 'Add the ingress gateway', index: 2 },
    { type: 'step-end', lab: a, step: 'ingress', status: 'skipped', durationMs: 0 },
    { type: 'lab-end', lab: a, status: 'failed', durationMs: 60500 },
    { type: 'lab-start', lab: b, title: 'Mutual TLS', steps: 1 },
    { type: 'step-start', lab: b, step: 'strict', title: 'Require mTLS', index: 0 },
    { type: 'check', lab: b, step: 'strict', phase: 'prove', outcome: { kind: 'http', name: 'plaintext refused', status: 'passed', message: 'connection reset', attempts: 1, durationMs: 30 } },
    { type: 'check', lab: b, step: 'strict', phase: 'check', outcome: { kind: 'http', name: 'mTLS works', status: 'passed', message: '200 OK', attempts: 1, durationMs: 42 } },
    { type: 'step-end', lab: b, step: 'strict', status: 'passed', durationMs: 700 },
    { type: 'lab-end', lab: b, status: 'passed', durationMs: 700 },
    { type: 'run-end', status: 'failed', durationMs: 61200, interrupted: false, summary: { passed: 2, failed: 1, skipped: 1 }, requests: 2 },
  ];
}

/** A dry run stopped by Ctrl-C in the middle of its first step. */
export function interruptedRun(): RunEvent[] {
  const lab = 'core/install';
  return [
    { type: 'run-start', mode: 'run', target: sandbox, labs: [lab], dryRun: true },
    { type: 'lab-start', lab, title: 'Install Istio', steps: 1 },
    { type: 'step-start', lab, step: 'istio-base', title: 'Install the base chart', index: 0 },
    { type: 'action', lab, step: 'istio-base', summary: 'apply manifests/istio-base.yaml', changes: [{ ref: 'customresourcedefinition.apiextensions.k8s.io/virtualservices.networking.istio.io', result: 'planned' }] },
    { type: 'run-end', status: 'failed', durationMs: 2000, interrupted: true, summary: { passed: 0, failed: 0, skipped: 1 }, requests: 0 },
  ];
}

/** Every scenario by name (golden file names use these). */
export const scenarios = { failing: failingRun, skipped: skippedRun, interrupted: interruptedRun };
