// kill -9 during a stream of writes never corrupts persisted state nor loses an acknowledged write.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { findRunningSandbox } from '../../src/sandbox/daemon.js';
import { createSeededRandom } from '../../src/sandbox/runtime/determinism.js';
import { eventually } from '../helpers/sandbox.js';

const cli = join(process.cwd(), 'src/cli/main.ts');

function serve(home: string) {
  return spawn(process.execPath, ['--import', 'tsx', cli, 'sandbox', 'serve', '--quiet'], { env: { ...process.env, ISTIO_LAB_HOME: home }, stdio: 'ignore' });
}

describe('sandbox crash safety', () => {
  it('keeps every acknowledged write across kill -9 at seeded random moments (3 trials)', async () => {
    const random = createSeededRandom(42);
    const home = mkdtempSync(join(tmpdir(), 'istio-lab-crash-'));
    const acknowledged = new Set<string>();
    try {
      for (let trial = 0; trial < 3; trial++) {
        const child = serve(home);
        await eventually(() => findRunningSandbox(home), 20000, 50);
        const kc = new k8s.KubeConfig();
        kc.loadFromFile(join(home, 'sandbox', 'kubeconfig'));
        const core = kc.makeApiClient(k8s.CoreV1Api);
        const killAfterMs = 100 + Math.floor(random() * 300);
        const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        let i = 0;
        const writers = [0, 1, 2, 3].map(async (w) => {
          while (true) {
            const name = `t${trial}-w${w}-${i++}`;
            try {
              await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name }, data: { n: String(i) } } });
              acknowledged.add(name);
            } catch {
              return;
            }
          }
        });
        await Promise.all(writers);
        clearTimeout(killer);
        await new Promise((r) => (child.exitCode !== null || child.signalCode ? r(null) : child.once('exit', r)));
      }
      assert.ok(acknowledged.size > 20, `only ${acknowledged.size} writes were acknowledged; the test proves little`);
      const child = serve(home);
      try {
        await eventually(() => findRunningSandbox(home), 20000, 50);
        const kc = new k8s.KubeConfig();
        kc.loadFromFile(join(home, 'sandbox', 'kubeconfig'));
        const list = await kc.makeApiClient(k8s.CoreV1Api).listNamespacedConfigMap({ namespace: 'default' });
        const present = new Set(list.items.map((c) => c.metadata!.name!));
        const lost = [...acknowledged].filter((n) => !present.has(n));
        assert.deepEqual(lost, [], `${lost.length} acknowledged writes lost`);
        const rvs = list.items.map((c) => Number(c.metadata!.resourceVersion));
        assert.equal(new Set(rvs).size, rvs.length, 'resourceVersions must be unique');
      } finally {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
