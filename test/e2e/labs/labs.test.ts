// Every track in labs/ is covered by the per-track end-to-end files next to this one.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { discoverLabs } from '../../../src/lab/index.js';
import { trackFiles } from './suite.js';

describe('end-to-end lab files', () => {
  it('cover every track, in as many parts as trackFiles says', async () => {
    const tracks = [...new Set((await discoverLabs(process.cwd())).entries.map((e) => e.track))].sort();
    assert.deepEqual(tracks, Object.keys(trackFiles).sort());
    const files = readdirSync(new URL('.', import.meta.url)).filter((f) => f.endsWith('.test.ts') && f !== 'labs.test.ts').sort();
    const expected = Object.entries(trackFiles).flatMap(([t, n]) => (n === 1 ? [`${t}.test.ts`] : Array.from({ length: n }, (_, i) => `${t}-${i + 1}.test.ts`))).sort();
    assert.deepEqual(files, expected);
  });
});
