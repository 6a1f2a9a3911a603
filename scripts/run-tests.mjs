// Runs node:test over test files found recursively (Node 20's --test does not expand globs).
// Usage: node scripts/run-tests.mjs [dir-or-file ...]   (default: test/)
// A folder named real-apiserver is collected only when named itself: that tier needs a real
// kube-apiserver and runs through `npm run test:real-apiserver`.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(path, out) {
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path).sort()) if (entry !== 'fixtures' && entry !== 'real-apiserver') collect(join(path, entry), out);
  } else if (path.endsWith('.test.ts')) out.push(path);
  return out;
}

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['test'];
// The end-to-end lab suites are the longest files and mostly wait on the mesh: start them first.
const files = roots.flatMap((r) => collect(r, [])).sort((a, b) => Number(b.includes('e2e/labs/')) - Number(a.includes('e2e/labs/')));
if (!files.length) {
  console.error(`no test files under ${roots.join(', ')}`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 3}`, ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
