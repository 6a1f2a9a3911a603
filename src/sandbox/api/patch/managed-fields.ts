// metadata.managedFields bookkeeping: decoding entries into per-manager field sets keyed by the
// manager identity the API server uses, encoding them back in the server's order, and printing a
// manager the way apply conflicts name it.

import type { ManagedFieldsEntry } from '../../types.js';
import { createFieldSet, FieldSet, buildFieldElement } from './field-set.js';

/** One manager's ownership record. */
export interface ManagerRecord {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  subresource?: string;
  time?: string;
  set: FieldSet;
}

/** All managers of an object, keyed by identity. */
export type ManagedState = Map<string, ManagerRecord>;

/** Fields the API server never records as owned (stripped from every manager's set). */
export const UNTRACKED_FIELDS: FieldSet = createFieldSet([
  [buildFieldElement('apiVersion')],
  [buildFieldElement('kind')],
  [buildFieldElement('metadata')],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion']
    .map((name) => [buildFieldElement('metadata'), buildFieldElement(name)]),
]);

/** Builds a manager identity: appliers are identified without apiVersion, updaters with it. */
export function identifyManager(manager: string, operation: 'Apply' | 'Update', apiVersion: string, subresource?: string): string {
  return JSON.stringify({
    manager,
    operation,
    ...(operation === 'Update' ? { apiVersion } : {}),
    ...(subresource ? { subresource } : {}),
  });
}

/** Decodes managedFields entries; malformed entries are ignored. */
export function decodeManagedFields(entries: readonly ManagedFieldsEntry[] | undefined): ManagedState {
  const state: ManagedState = new Map();
  for (const entry of entries ?? []) {
    if (!entry || typeof entry.manager !== 'string' || (entry.operation !== 'Apply' && entry.operation !== 'Update')) continue;
    const record: ManagerRecord = {
      manager: entry.manager,
      operation: entry.operation,
      apiVersion: entry.apiVersion,
      set: FieldSet.fromFieldsV1(entry.fieldsV1),
      ...(entry.subresource ? { subresource: entry.subresource } : {}),
      ...(entry.time ? { time: entry.time } : {}),
    };
    state.set(identifyManager(record.manager, record.operation, record.apiVersion, record.subresource), record);
  }
  return state;
}

/** Encodes the state as managedFields: empty sets dropped, sorted as the API server sorts them. */
export function encodeManagedFields(state: ManagedState): ManagedFieldsEntry[] {
  const records = [...state.values()].filter((r) => !r.set.isEmpty());
  records.sort(compareRecords);
  return records.map((r) => ({
    manager: r.manager,
    operation: r.operation,
    apiVersion: r.apiVersion,
    ...(r.time ? { time: r.time } : {}),
    fieldsType: 'FieldsV1' as const,
    fieldsV1: r.set.toFieldsV1(),
    ...(r.subresource ? { subresource: r.subresource } : {}),
  }));
}

/** Orders entries: Apply before Update, then by time (seconds), manager, apiVersion, subresource. */
function compareRecords(a: ManagerRecord, b: ManagerRecord): number {
  if (a.operation !== b.operation) return a.operation < b.operation ? -1 : 1;
  const ta = readSeconds(a.time);
  const tb = readSeconds(b.time);
  if (ta !== tb) return ta - tb;
  for (const key of ['manager', 'apiVersion', 'subresource'] as const) {
    const x = a[key] ?? '';
    const y = b[key] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Converts an RFC 3339 time to whole seconds (0 when absent or unparsable). */
function readSeconds(time: string | undefined): number {
  const ms = time ? Date.parse(time) : NaN;
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

/** Prints a manager as apply conflicts do: `"name" [with subresource "s"] [using apps/v1]`. */
export function describeManager(record: ManagerRecord): string {
  let text = JSON.stringify(record.manager);
  if (record.subresource) text += ` with subresource ${JSON.stringify(record.subresource)}`;
  return record.operation === 'Update' ? `${text} using ${record.apiVersion}` : text;
}

/** Deep-copies a state so callers can edit it freely. */
export function cloneManagedState(state: ManagedState): ManagedState {
  const out: ManagedState = new Map();
  for (const [id, record] of state) out.set(id, { ...record, set: record.set.clone() });
  return out;
}
