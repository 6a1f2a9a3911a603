// kill -9 inside the persistence code itself (seeded kill points: half-way through a snapshot write,
// before its fsync or rename, between the rename and the journal truncation, half-way through a
// journal append) never corrupts the state: it reopens, every acknowledged change is there, and
// at most the one change in flight is undecided. crash.test.ts covers kills at random moments of a
// whole sandbox; this covers the windows inside compaction that random moments rarely hit.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileJournal } from '../../src/sandbox/store/file-journal.js';
import { createSeededRandom } from '../../src/sandbox/runtime/determinism.js';

const writer = join(process.cwd(), 'test/sandbox/fixtures/journal-writer.ts');
const points = ['snapshot-write', 'before-fsync', 'before-rename', 'before-truncate', 'mid-append'] as const;

/** Runs the writer until it kills itself at the kill point; returns its acknowledgements. */
function runUntilKilled(dir: string, point: string, occurrence: number): Promise<{ signal: string | null; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dir, point, String(occurrence)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`writer exited without reaching ${point}: ${err}`));
      resolve({ signal, lines: out.split('\n').filter(Boolean) });
    });
  });
}

describe('sandbox state survives kill -9 inside compaction and journal writes', () => {
  it('reopens with every acknowledged change at seeded kill points (10 trials)', async () => {
    const random = createSeededRandom(20240817);
    const dir = mkdtempSync(join(tmpdir(), 'istio-lab-crash-compact-'));
    const expected = new Map<string, string>();
    try {
      for (let trial = 0; trial < 10; trial++) {
        const point = points[trial % points.length];
        const occurrence = 1 + Math.floor(random() * 6);
        const { lines } = await runUntilKilled(dir, point, occurrence);
        let inFlight: { put?: string; del?: string } = {};
        for (const line of lines) {
          const [op, name, n] = line.split(' ');
          if (op === 'ready') inFlight = { put: `cm-${name}-0` };
          if (op === 'put') expected.set(name, n);
          if (op === 'del') expected.delete(name);
          const m = /^cm-(\d+)-(\d+)$/.exec(name ?? '');
          // The change after the last acknowledged one: the next put, or the delete that follows every third put.
          if (m && op === 'put') inFlight = Number(n) % 3 === 2 ? { del: `cm-${m[1]}-${Number(n) - 2}` } : { put: `cm-${m[1]}-${Number(n) + 1}` };
          if (m && op === 'del') inFlight = { put: `cm-${m[1]}-${Number(m[2]) + 3}` };
        }
        const where = `trial ${trial}: killed at ${point} #${occurrence} after ${lines.length - 1} acknowledged changes`;
        const store = new FileJournal(dir).open();
        const present = new Map(store.list('/configmaps', 'default').map((o) => [o.metadata.name!, o.data?.n as string]));
        const missing = [...expected].filter(([name, n]) => present.get(name) !== n && name !== inFlight.del).map(([name]) => name);
        const extra = [...present.keys()].filter((name) => !expected.has(name) && name !== inFlight.put);
        assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, where);
        if (inFlight.put && present.has(inFlight.put)) expected.set(inFlight.put, present.get(inFlight.put)!);
        if (inFlight.del && !present.has(inFlight.del)) expected.delete(inFlight.del);
        const rvs = store.list('/configmaps', 'default').map((o) => Number(o.metadata.resourceVersion));
        assert.equal(new Set(rvs).size, rvs.length, `${where}: resourceVersions must be unique`);
        assert.ok(rvs.every((rv) => rv <= store.resourceVersion), `${where}: an object is newer than the store`);
        assert.deepEqual(readdirSync(dir).sort(), ['journal.jsonl', 'snapshot.json'], `${where}: leftover files`);
        assert.equal(JSON.parse(readFileSync(join(dir, 'snapshot.json'), 'utf8')).format, 'istio-lab-sandbox/v1');
      }
      assert.ok(expected.size > 20, `only ${expected.size} objects survived; the trials prove little`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
