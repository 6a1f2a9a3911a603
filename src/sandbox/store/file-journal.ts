// Crash-safe persistence for the object store: an atomic snapshot plus an append-only journal.
// Every change is appended (synchronously) before it is acknowledged, so kill -9 loses nothing
// the API has answered; a torn last line is ignored on load; snapshots are written to a temp
// file, fsynced and renamed, so a crash mid-write leaves the previous snapshot intact.
import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../types.js';
import { ObjectStore, type StoreEvent, type StoreJournal } from './object-store.js';

interface SnapshotFile {
  format: 'istio-lab-sandbox/v1';
  resourceVersion: number;
  objects: { key: string; object: KubeObject }[];
}

interface JournalLine {
  rv: number;
  key: string;
  type: StoreEvent['type'];
  object: KubeObject;
}

/** Journals store changes to `<dir>/journal.jsonl` and compacts them into `<dir>/snapshot.json`. */
export class FileJournal implements StoreJournal {
  private readonly snapshotPath: string;
  private readonly journalPath: string;
  private lines = 0;

  constructor(private readonly dir: string, private readonly compactEvery = 5000) {
    this.snapshotPath = join(dir, 'snapshot.json');
    this.journalPath = join(dir, 'journal.jsonl');
  }

  /** Load snapshot + journal into a new store wired to this journal, then compact. */
  open(historyLimit?: number): ObjectStore {
    // A snapshot a crash interrupted is a temp file never renamed into place: nothing reads it.
    for (const name of readdirSync(this.dir)) if (name.startsWith('snapshot.json.tmp-')) rmSync(join(this.dir, name), { force: true });
    const loaded = this.load();
    const store = new ObjectStore({ historyLimit, journal: this, initialResourceVersion: loaded.resourceVersion });
    for (const [key, object] of loaded.objects.values()) store.restore(key, object);
    this.store = store;
    this.compact();
    return store;
  }

  private store?: ObjectStore;

  /** Append one change; synchronous so that an acknowledged write survives a crash of the process. */
  record(event: StoreEvent): void {
    const line: JournalLine = { rv: event.rv, key: event.key, type: event.type, object: event.object };
    appendFileSync(this.journalPath, `${JSON.stringify(line)}\n`, { mode: 0o600 });
    if (++this.lines >= this.compactEvery) queueMicrotask(() => this.compact());
  }

  /** Write a snapshot of the whole store atomically, then empty the journal. */
  compact(): void {
    if (!this.store) return;
    const objects: SnapshotFile['objects'] = [];
    for (const [key, object] of this.store.entries()) objects.push({ key, object });
    const snapshot: SnapshotFile = { format: 'istio-lab-sandbox/v1', resourceVersion: this.store.resourceVersion, objects };
    writeFileAtomic(this.snapshotPath, JSON.stringify(snapshot));
    truncateSync(this.journalPath, 0);
    this.lines = 0;
  }

  private load(): { resourceVersion: number; objects: Map<string, [string, KubeObject]> } {
    const objects = new Map<string, [string, KubeObject]>();
    let resourceVersion = 1;
    if (existsSync(this.snapshotPath)) {
      const snap = JSON.parse(readFileSync(this.snapshotPath, 'utf8')) as SnapshotFile;
      resourceVersion = snap.resourceVersion;
      for (const { key, object } of snap.objects) objects.set(identity(key, object), [key, object]);
    }
    if (!existsSync(this.journalPath)) {
      appendFileSync(this.journalPath, '', { mode: 0o600 });
      return { resourceVersion, objects };
    }
    for (const raw of readFileSync(this.journalPath, 'utf8').split('\n')) {
      if (!raw) continue;
      let line: JournalLine;
      try {
        line = JSON.parse(raw) as JournalLine;
      } catch {
        break; // a torn final line from a crash mid-append: everything before it is intact
      }
      if (line.rv <= resourceVersion) continue; // already in the snapshot
      resourceVersion = line.rv;
      const id = identity(line.key, line.object);
      if (line.type === 'DELETED') objects.delete(id);
      else objects.set(id, [line.key, line.object]);
    }
    return { resourceVersion, objects };
  }
}

/** Write a file via temp file + fsync + rename so readers never see a partial file. */
export function writeFileAtomic(path: string, data: string, mode = 0o600): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

function identity(key: string, obj: KubeObject): string {
  return `${key}|${obj.metadata.namespace ?? ''}|${obj.metadata.name}`;
}
