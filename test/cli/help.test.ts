// Golden files for what a person sees: `--help` of every command and a --dry-run plan.
// Regenerate with: UPDATE_GOLDEN=1 npm run test:unit
import { describe, it } from 'node:test';
import { join } from 'node:path';
import { isolatedEnv, runCli } from '../helpers/cli.js';
import { expectGolden } from '../golden/golden.js';

const commands = [[], ['list'], ['show'], ['run'], ['verify'], ['reset'], ['validate'], ['doctor'], ['sandbox'], ['sandbox', 'start'], ['sandbox', 'serve'], ['sandbox', 'stop'], ['sandbox', 'status'], ['sandbox', 'kubeconfig']];

describe('help and plans (golden)', () => {
  const env = { ...isolatedEnv(), COLUMNS: '100' };
  for (const cmd of commands) {
    it(`istio-lab ${cmd.join(' ')} --help`, async () => {
      const r = await runCli([...cmd, '--help'], env);
      expectGolden(`help-${cmd.join('-') || 'root'}`, r.stdout);
    });
  }

  it('run ingress-gateway --dry-run prints the plan and needs no cluster', async () => {
    const r = await runCli(['run', 'ingress-gateway', '--dry-run', '--prove'], env);
    expectGolden('plan-ingress-gateway', r.stdout);
  });

  it('run --step on a fixture lab --dry-run', async () => {
    const r = await runCli(['run', 'undiscriminating', '--dry-run', '--step', 'make-configmap'], { ...env, ISTIO_LAB_ROOT: join(process.cwd(), 'test/fixtures/e2e-repo') });
    expectGolden('plan-step', r.stdout);
  });
});
