// Watch streams: newline-delimited JSON events with resourceVersion resumption and 410 Gone.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../../types.js';
import type { Registry } from '../registry.js';
import type { ResourceType } from '../resource-types.js';
import type { StoreEvent } from '../../store/object-store.js';
import { expired } from '../status.js';

/** What a watch request filters on. */
export interface WatchRequest {
  rt: ResourceType;
  namespace?: string;
  matches: (obj: KubeObject) => boolean;
  resourceVersion?: string;
  timeoutSeconds?: number;
  allowBookmarks: boolean;
  /** Wraps each object for the wire (e.g. as a one-row Table). */
  encode: (obj: KubeObject) => unknown;
}

/** Stream a watch until the client goes away, the timeout passes or the server stops. */
export function serveWatch(req: IncomingMessage, res: ServerResponse, registry: Registry, w: WatchRequest, stopSignal: AbortSignal): void {
  const key = registry.types.keyOf(w.rt);
  const inScope = (o: KubeObject) => !w.namespace || o.metadata.namespace === w.namespace;
  const present = (o: KubeObject) => registry.present(w.rt, structuredClone(o));
  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  const write = (type: string, object: unknown) => res.write(`${JSON.stringify({ type, object })}\n`);

  let lastRv = 0;
  const buffered: StoreEvent[] = [];
  let live = false;
  const emit = (e: StoreEvent) => {
    if (e.key !== key || e.rv <= lastRv) return;
    lastRv = e.rv;
    const now = inScope(e.object) && w.matches(e.object);
    const before = e.previous ? inScope(e.previous) && w.matches(e.previous) : false;
    if (e.type === 'ADDED' && now) write('ADDED', w.encode(present(e.object)));
    else if (e.type === 'MODIFIED') {
      if (now && before) write('MODIFIED', w.encode(present(e.object)));
      else if (now) write('ADDED', w.encode(present(e.object)));
      // Leaving the selection: the real server's cacher sends the previous object (which matched),
      // stamped with this event's resourceVersion so a client can resume from it.
      else if (before) write('DELETED', w.encode(present({ ...e.previous!, metadata: { ...e.previous!.metadata, resourceVersion: e.object.metadata.resourceVersion } })));
    } else if (e.type === 'DELETED' && (before || now)) write('DELETED', w.encode(present(e.object)));
  };
  const unsubscribe = registry.store.subscribe((e) => (live ? emit(e) : buffered.push(e)));

  const rv = w.resourceVersion;
  if (!rv || rv === '0') {
    for (const obj of registry.store.list(key, w.rt.namespaced ? w.namespace : undefined)) {
      if (w.matches(obj)) write('ADDED', w.encode(present(obj)));
    }
    lastRv = registry.store.resourceVersion;
  } else {
    const from = Number(rv);
    const events = Number.isFinite(from) ? registry.store.eventsSince(from) : 'expired';
    if (events === 'expired') {
      const err = expired(`too old resource version: ${rv} (${registry.store.resourceVersion})`);
      write('ERROR', err.toStatus());
      unsubscribe();
      res.end();
      return;
    }
    lastRv = from;
    for (const e of events) emit(e);
  }
  for (const e of buffered) emit(e);
  live = true;

  const bookmark = w.allowBookmarks
    ? setInterval(() => write('BOOKMARK', { kind: w.rt.kind, apiVersion: w.rt.group ? `${w.rt.group}/${w.rt.version}` : w.rt.version, metadata: { resourceVersion: String(Math.max(lastRv, registry.store.resourceVersion)) } }), 15000)
    : undefined;
  const timeout = w.timeoutSeconds ? setTimeout(() => finish(), w.timeoutSeconds * 1000) : undefined;
  const onStop = () => finish();
  stopSignal.addEventListener('abort', onStop);
  function finish(): void {
    unsubscribe();
    if (bookmark) clearInterval(bookmark);
    if (timeout) clearTimeout(timeout);
    stopSignal.removeEventListener('abort', onStop);
    if (!res.writableEnded) res.end();
  }
  req.on('close', finish);
  res.on('close', finish);
}
