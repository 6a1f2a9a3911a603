import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { discoverLabs } from '../../src/lab/catalog.js';
import { loadLab } from '../../src/lab/load.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

describe('labs/ in this repo', () => {
  it('every lab loads without errors or warnings', async () => {
    const catalog = await discoverLabs(repoRoot);
    const problems: string[] = [];
    for (const entry of catalog.entries) {
      const result = await loadLab(entry.file, { repoRoot });
      problems.push(...(result.ok ? [] : result.errors.map(String)), ...result.warnings.map(String));
    }
    assert.deepEqual(problems, []);
  });
});
