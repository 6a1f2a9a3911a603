// The sandbox's API semantics in-process: create/update/patch/delete with defaulting, admission,
// validation, optimistic concurrency, generation, managedFields and finalizers. The HTTP layer and
// the controllers both go through this class, so a controller's write behaves like a client's.
import type { KubeObject } from '../types.js';
import type { ObjectStore } from '../store/object-store.js';
import { apiVersionOf, tracksGeneration, type ResourceType } from './resource-types.js';
import { TypeRegistry } from './type-registry.js';
import { ApiError, alreadyExists, badRequest, conflict, invalid, notFound, type StatusCause } from './status.js';
import { validateMetadata, type KindValidator } from './validation.js';
import { applyMergePatch, applyJsonPatch, applyStrategicMergePatch, applyServerSide, recordUpdate, isKnownStrategicKind, PatchError } from './patch/index.js';
import { pruneAndValidate } from './crd-schema.js';
import type { Clock, Random } from '../runtime/determinism.js';

/** Who is writing and how (from the request's query and headers). */
export interface WriteOptions {
  fieldManager?: string;
  userAgent?: string;
  dryRun?: boolean;
  subresource?: string;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  force?: boolean;
  /** Collects Warning headers for the response. */
  warnings?: string[];
}

/** Options of a delete call (DeleteOptions + query). */
export interface DeleteOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

/** Patch content types the API accepts. */
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

/** Per-kind behaviour plugged in by controllers: defaulting, validation, graceful deletion. */
export interface KindHooks {
  /** Fill defaults before validation (create and update). */
  default?(obj: KubeObject, old: KubeObject | undefined): void;
  validate?: KindValidator;
  /** Return true to mark the object terminating instead of removing it (pods with a grace period). */
  deleteGracefully?(obj: KubeObject, options: DeleteOptions): boolean;
}

/** Admission mutators run on CREATE/UPDATE after defaulting (the sidecar injector is one). */
export type AdmissionMutator = (op: 'CREATE' | 'UPDATE', key: string, obj: KubeObject, old: KubeObject | undefined) => void;

const generateChars = 'bcdfghjklmnpqrstvwxz2456789';

/** The in-process API: every write in the sandbox goes through here. */
export class Registry {
  readonly types = new TypeRegistry();
  private readonly hooks = new Map<string, KindHooks>();
  private readonly mutators: AdmissionMutator[] = [];

  constructor(
    readonly store: ObjectStore,
    private readonly clock: Clock,
    private readonly random: Random,
  ) {
    for (const crd of store.list('apiextensions.k8s.io/customresourcedefinitions')) this.types.upsertCrd(crd);
  }

  /** Register defaulting/validation/deletion behaviour for a storage key (`/pods`). */
  registerHooks(key: string, hooks: KindHooks): void {
    const prev = this.hooks.get(key) ?? {};
    this.hooks.set(key, { ...prev, ...hooks });
  }

  /** Register a mutating admission step. */
  registerMutator(mutator: AdmissionMutator): void {
    this.mutators.push(mutator);
  }

  /** Resolve a manifest's apiVersion/kind to a served type, or the error kubectl prints. */
  resolveKind(apiVersion: string, kind: string): ResourceType {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    const rt = this.types.byKind(group, version, kind);
    if (!rt) throw new ApiError(404, 'NotFound', `no matches for kind "${kind}" in version "${apiVersion}"`);
    return rt;
  }

  /** GET one object (404 if absent). */
  get(rt: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const obj = this.store.get(this.types.keyOf(rt), rt.namespaced ? namespace : undefined, name);
    if (!obj) throw notFound(rt.group, rt.plural, name);
    return this.present(rt, obj);
  }

  /** GET one object or undefined. */
  find(rt: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const obj = this.store.get(this.types.keyOf(rt), rt.namespaced ? namespace : undefined, name);
    return obj ? this.present(rt, obj) : undefined;
  }

  /** LIST objects (namespace undefined = all namespaces). */
  list(rt: ResourceType, namespace?: string): KubeObject[] {
    return this.store.list(this.types.keyOf(rt), rt.namespaced ? namespace : undefined).map((o) => this.present(rt, o));
  }

  /** Present a stored object in the requested version (CRDs: conversion None just relabels). */
  present(rt: ResourceType, obj: KubeObject): KubeObject {
    obj.apiVersion = apiVersionOf(rt.group, rt.version);
    obj.kind = rt.kind;
    return obj;
  }

  /** CREATE. */
  create(rt: ResourceType, namespace: string | undefined, body: KubeObject, opts: WriteOptions = {}): KubeObject {
    const key = this.types.keyOf(rt);
    const obj = this.normalizeBody(rt, namespace, body);
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = this.generateName(obj.metadata.generateName);
    if (rt.namespaced) this.checkNamespaceWritable(obj.metadata.namespace!, rt, obj.metadata.name ?? '');
    const name = obj.metadata.name;
    if (name && this.store.get(key, obj.metadata.namespace, name)) throw alreadyExists(rt.group, rt.plural, name);
    if (rt.subresources.includes('status') && rt.custom) delete obj.status;
    const meta = obj.metadata;
    meta.uid = this.uid();
    meta.creationTimestamp = this.now();
    if (tracksGeneration(rt)) meta.generation = 1;
    else delete meta.generation;
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    this.admit('CREATE', rt, key, obj, undefined, opts);
    if (!meta.managedFields?.length || opts.fieldManager !== undefined) {
      meta.managedFields = this.recordFields(rt, undefined, obj, opts);
    }
    if (opts.dryRun) return this.present(rt, obj);
    return this.present(rt, this.store.put(key, obj));
  }

  /** UPDATE (PUT) of the object or one of its subresources. */
  update(rt: ResourceType, namespace: string | undefined, name: string, body: KubeObject, opts: WriteOptions = {}): KubeObject {
    const key = this.types.keyOf(rt);
    const current = this.store.get(key, rt.namespaced ? namespace : undefined, name);
    const obj = this.normalizeBody(rt, namespace, body);
    if (obj.metadata.name !== name) throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    if (!current) throw notFound(rt.group, rt.plural, name);
    const rv = obj.metadata.resourceVersion;
    if (rv && rv !== current.metadata.resourceVersion) throw conflict(rt.group, rt.plural, name);
    return this.commitUpdate(rt, key, current, obj, opts);
  }

  /** PATCH with json, merge, strategic or apply (server-side apply) semantics. */
  patch(rt: ResourceType, namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts: WriteOptions = {}): KubeObject {
    const key = this.types.keyOf(rt);
    const ns = rt.namespaced ? namespace : undefined;
    const current = this.store.get(key, ns, name);
    try {
      if (type === 'apply') return this.applyPatch(rt, key, ns, name, current, patch as KubeObject, opts);
      if (!current) throw notFound(rt.group, rt.plural, name);
      const base = opts.subresource === 'scale' ? this.toScale(rt, current) : this.present(rt, structuredClone(current));
      let next: any;
      if (type === 'json') next = applyJsonPatch(base, patch as any[]);
      else if (type === 'merge') next = applyMergePatch(base, patch);
      else {
        if (!isKnownStrategicKind(rt.group, rt.kind) || rt.custom) {
          throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`);
        }
        next = applyStrategicMergePatch(base, patch, rt.group, opts.subresource === 'scale' ? 'Scale' : rt.kind);
      }
      if (opts.subresource === 'scale') return this.updateScale(rt, key, current, next, opts);
      if (next?.metadata?.name !== name) throw badRequest(`the name of the object (${next?.metadata?.name ?? ''}) does not match the name on the URL (${name})`);
      const rv = (patch as any)?.metadata?.resourceVersion;
      if (type !== 'json' && rv && rv !== current.metadata.resourceVersion) throw conflict(rt.group, rt.plural, name);
      return this.commitUpdate(rt, key, current, next, opts);
    } catch (err) {
      throw toApiError(err);
    }
  }

  /** DELETE; returns the object as it stands after the call (terminating) or as it was (removed). */
  delete(rt: ResourceType, namespace: string | undefined, name: string, opts: DeleteOptions = {}): { object: KubeObject; removed: boolean } {
    const key = this.types.keyOf(rt);
    const ns = rt.namespaced ? namespace : undefined;
    const current = this.store.get(key, ns, name);
    if (!current) throw notFound(rt.group, rt.plural, name);
    const pre = opts.preconditions;
    // rest.BeforeDelete names the kind (not the resource) in these conflicts.
    const preconditionFailed = (what: string, want: string, have: unknown, hint: string) =>
      new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${rt.kind}${rt.group ? `.${rt.group}` : ''} "${name}": the ${what} in the precondition (${want}) does not match the ${what} in record (${have}). ${hint}`, { name, group: rt.group || undefined, kind: rt.kind });
    if (pre?.uid && pre.uid !== current.metadata.uid) throw preconditionFailed('UID', pre.uid, current.metadata.uid, 'The object might have been deleted and then recreated');
    if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) throw preconditionFailed('ResourceVersion', pre.resourceVersion, current.metadata.resourceVersion, 'The object might have been modified');
    const meta = current.metadata;
    const finalizers = [...(meta.finalizers ?? [])];
    if (opts.propagationPolicy === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
    if (opts.propagationPolicy === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
    const graceful = opts.dryRun ? false : this.hooks.get(key)?.deleteGracefully?.(current, opts) ?? false;
    if (opts.dryRun) {
      // A dry run answers as the real delete would: the object if it would linger, else a Success Status.
      const lingers = finalizers.length > 0 || key === '/namespaces' || !!meta.deletionTimestamp;
      return { object: this.present(rt, structuredClone(current)), removed: !lingers };
    }
    if (finalizers.length || graceful || key === '/namespaces') {
      if (!meta.deletionTimestamp) {
        if (key === '/namespaces') current.status = { ...(current.status ?? {}), phase: 'Terminating' };
        meta.deletionTimestamp = this.now();
        meta.deletionGracePeriodSeconds = meta.deletionGracePeriodSeconds ?? (graceful ? opts.gracePeriodSeconds ?? 30 : 0);
        meta.finalizers = finalizers.length ? finalizers : undefined;
        if (!meta.finalizers) delete meta.finalizers;
        return { object: this.present(rt, this.store.put(key, current)), removed: false };
      }
      return { object: this.present(rt, current), removed: false };
    }
    const gone = this.store.remove(key, ns, name)!;
    return { object: this.present(rt, gone), removed: true };
  }

  /** Remove an object outright (finalizers done, grace period over). Used by controllers. */
  finalize(rt: ResourceType, namespace: string | undefined, name: string): void {
    this.store.remove(this.types.keyOf(rt), rt.namespaced ? namespace : undefined, name);
  }

  /** The Scale view of a workload, as served at `<name>/scale`. */
  toScale(rt: ResourceType, obj: KubeObject): KubeObject {
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion, creationTimestamp: obj.metadata.creationTimestamp },
      spec: { replicas: obj.spec?.replicas ?? 0 },
      status: { replicas: obj.status?.replicas ?? 0, selector: selectorString(obj.spec?.selector) },
    };
    void rt;
  }

  /** Apply a Scale object to a workload. */
  updateScale(rt: ResourceType, key: string, current: KubeObject, scale: KubeObject, opts: WriteOptions): KubeObject {
    const rv = scale.metadata?.resourceVersion;
    if (rv && rv !== current.metadata.resourceVersion) throw conflict(rt.group, rt.plural, current.metadata.name!);
    const replicas = scale.spec?.replicas;
    if (typeof replicas !== 'number' || replicas < 0 || !Number.isInteger(replicas)) {
      throw invalid('autoscaling', 'Scale', current.metadata.name!, [{ field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` }]);
    }
    const next = structuredClone(current);
    next.spec = { ...(next.spec ?? {}), replicas };
    const updated = this.commitUpdate(rt, key, current, next, { ...opts, subresource: undefined });
    return this.toScale(rt, updated);
  }

  private applyPatch(rt: ResourceType, key: string, ns: string | undefined, name: string, current: KubeObject | undefined, applied: KubeObject, opts: WriteOptions): KubeObject {
    if (!applied || typeof applied !== 'object') throw badRequest('apply patch must be an object');
    if (!opts.fieldManager) {
      throw new ApiError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }],
      });
    }
    if (applied.apiVersion !== apiVersionOf(rt.group, rt.version) || applied.kind !== rt.kind) {
      const [group, version] = String(applied.apiVersion ?? '').includes('/') ? String(applied.apiVersion).split('/', 2) : ['', String(applied.apiVersion ?? '')];
      throw badRequest(`invalid object type: ${group}/${version}, Kind=${applied.kind ?? ''}`);
    }
    if (applied.metadata?.name && applied.metadata.name !== name) throw badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`);
    const body = this.normalizeBody(rt, ns, { ...applied, metadata: { ...(applied.metadata ?? {}), name } });
    const apiVersion = apiVersionOf(rt.group, rt.version);
    if (!current) {
      const merged = applyServerSide(undefined, body, { manager: opts.fieldManager, force: !!opts.force, apiVersion, now: this.now(), group: rt.group, kind: rt.kind, hasStatusSubresource: rt.subresources.includes('status') });
      return this.create(rt, ns, merged, { ...opts, fieldManager: undefined });
    }
    const base = this.present(rt, structuredClone(current));
    const merged = applyServerSide(base, body, { manager: opts.fieldManager, force: !!opts.force, apiVersion, now: this.now(), group: rt.group, kind: rt.kind, hasStatusSubresource: rt.subresources.includes('status') });
    return this.commitUpdate(rt, key, current, merged, { ...opts, fieldManager: undefined }, true);
  }

  private commitUpdate(rt: ResourceType, key: string, current: KubeObject, next: KubeObject, opts: WriteOptions, fieldsRecorded = false): KubeObject {
    const obj = structuredClone(next);
    obj.metadata = obj.metadata ?? {};
    const keep = ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'namespace', 'name', 'generation'] as const;
    for (const k of keep) {
      if (current.metadata[k] === undefined) delete obj.metadata[k];
      else (obj.metadata as any)[k] = current.metadata[k];
    }
    const hasStatus = rt.subresources.includes('status');
    if (opts.subresource === 'status') {
      const status = obj.status;
      Object.assign(obj, structuredClone(current), { status });
      obj.metadata = structuredClone(current.metadata);
    } else if (hasStatus) {
      if (current.status === undefined) delete obj.status;
      else obj.status = structuredClone(current.status);
    }
    if (current.metadata.deletionTimestamp && (obj.metadata.finalizers ?? []).length > (current.metadata.finalizers ?? []).length) {
      const added = (obj.metadata.finalizers ?? []).filter((f) => !(current.metadata.finalizers ?? []).includes(f));
      if (added.length) {
        const found = `[]string{${added.map((f) => JSON.stringify(f)).join(', ')}}`;
        throw invalid(rt.group, rt.kind, current.metadata.name!, [{ field: 'metadata.finalizers', reason: 'FieldValueForbidden', message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ${found}` }]);
      }
    }
    this.admit('UPDATE', rt, key, obj, current, opts);
    if (tracksGeneration(rt) && specChanged(current, obj)) obj.metadata.generation = (current.metadata.generation ?? 1) + 1;
    if (!fieldsRecorded) obj.metadata.managedFields = this.recordFields(rt, current, obj, opts);
    if (sameContent(current, obj)) return this.present(rt, current);
    if (opts.dryRun) return this.present(rt, obj);
    if (obj.metadata.deletionTimestamp && !(obj.metadata.finalizers ?? []).length && !this.hooks.get(key)?.deleteGracefully) {
      this.store.remove(key, obj.metadata.namespace, obj.metadata.name!);
      // The server answers with the object as last written (finalizers gone), not the stored one.
      return this.present(rt, obj);
    }
    return this.present(rt, this.store.put(key, obj));
  }

  private admit(op: 'CREATE' | 'UPDATE', rt: ResourceType, key: string, obj: KubeObject, old: KubeObject | undefined, opts: WriteOptions): void {
    const hooks = this.hooks.get(key);
    hooks?.default?.(obj, old);
    if (opts.subresource !== 'status') for (const m of this.mutators) m(op, key, obj, old);
    const causes: StatusCause[] = validateMetadata(rt, key, obj);
    if (rt.custom) {
      const schema = this.types.schemaOf(rt);
      const result = pruneAndValidate(obj, schema);
      if (result.unknownFields.length) {
        if (opts.fieldValidation === 'Strict') {
          throw badRequest(`${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: strict decoding error: ${result.unknownFields.map((f) => `unknown field "${f}"`).join(', ')}`);
        }
        if (opts.fieldValidation !== 'Ignore') for (const f of result.unknownFields) opts.warnings?.push(`unknown field "${f}"`);
      }
      causes.push(...result.causes);
    }
    causes.push(...(hooks?.validate?.(obj, old) ?? []));
    if (causes.length) throw invalid(rt.group, rt.kind, obj.metadata.name ?? '', causes);
  }

  private recordFields(rt: ResourceType, before: KubeObject | undefined, after: KubeObject, opts: WriteOptions): KubeObject['metadata']['managedFields'] {
    const manager = opts.fieldManager ?? managerFromUserAgent(opts.userAgent);
    return recordUpdate(before, after, { manager, apiVersion: apiVersionOf(rt.group, rt.version), now: this.now(), group: rt.group, kind: rt.kind, subresource: opts.subresource });
  }

  private normalizeBody(rt: ResourceType, namespace: string | undefined, body: KubeObject): KubeObject {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the request body must be a JSON or YAML object');
    const obj = structuredClone(body);
    const expected = apiVersionOf(rt.group, rt.version);
    if (obj.apiVersion && obj.apiVersion !== expected && rt.kind !== 'Scale') {
      throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${expected})`);
    }
    if (obj.kind && obj.kind !== rt.kind) throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${rt.kind})`);
    obj.apiVersion = expected;
    obj.kind = rt.kind;
    obj.metadata = obj.metadata && typeof obj.metadata === 'object' ? obj.metadata : {};
    if (rt.namespaced) {
      if (obj.metadata.namespace && namespace && obj.metadata.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = namespace ?? obj.metadata.namespace;
      if (!obj.metadata.namespace) throw badRequest('an empty namespace may not be set during creation');
    } else delete obj.metadata.namespace;
    return obj;
  }

  private checkNamespaceWritable(namespace: string, rt: ResourceType, name: string): void {
    const ns = this.store.get('/namespaces', undefined, namespace);
    if (!ns) throw notFound('', 'namespaces', namespace);
    if (ns.metadata.deletionTimestamp) {
      const resource = rt.group ? `${rt.plural}.${rt.group}` : rt.plural;
      throw new ApiError(403, 'Forbidden', `${resource} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`, {
        name,
        group: rt.group || undefined,
        kind: rt.plural,
        causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }],
      });
    }
  }

  private generateName(prefix: string): string {
    let s = '';
    for (let i = 0; i < 5; i++) s += generateChars[Math.floor(this.random() * generateChars.length)];
    return `${prefix}${s}`;
  }

  private uid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.random() * 16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  /** RFC 3339 timestamp with second precision, as the API server writes them. */
  now(): string {
    return this.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
}

/** Field manager the real server derives from a User-Agent (`kubectl/v1.32 (...)` → `kubectl`). */
export function managerFromUserAgent(userAgent: string | undefined): string {
  const ua = (userAgent ?? 'unknown').split('/')[0].trim();
  return ua.slice(0, 128) || 'unknown';
}

function selectorString(selector: any): string {
  const parts = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  return parts.join(',');
}

function stripVolatile(obj: KubeObject): unknown {
  const { metadata, ...rest } = obj;
  const { resourceVersion: _rv, managedFields, ...meta } = metadata;
  const fields = (managedFields ?? []).map(({ time: _t, ...f }) => f);
  return { ...rest, metadata: { ...meta, managedFields: fields } };
}

function sameContent(a: KubeObject, b: KubeObject): boolean {
  return JSON.stringify(canonical(stripVolatile(a))) === JSON.stringify(canonical(stripVolatile(b)));
}

function specChanged(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { metadata: _m, status: _s, ...rest } = o;
    return canonical(rest);
  };
  return JSON.stringify(strip(a)) !== JSON.stringify(strip(b));
}

/** JSON with sorted keys, for content comparison. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as object).sort()) {
      const v = (value as any)[k];
      if (v !== undefined) out[k] = canonical(v);
    }
    return out;
  }
  return value;
}

function toApiError(err: unknown): unknown {
  if (err instanceof PatchError) {
    return new ApiError(err.code, err.reason, err.message, err.causesOffWire ? {} : err.causes ? { causes: err.causes } : undefined);
  }
  return err;
}
