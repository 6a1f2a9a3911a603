// What istio-lab has done to a cluster, kept in the cluster itself (ConfigMap istio-lab-state in
// namespace istio-lab-system) so that verify and reset work from any machine. Objects are
// recorded before they are applied (write-ahead), so an interrupted run can always be reset.
import type { Cluster, KubeObject, ObjectRef } from '../cluster/types.js';
import { fieldManager, managedByLabel, managedByValue } from './ownership.js';

/** Namespace holding istio-lab's state. */
export const stateNamespace = 'istio-lab-system';
/** Name of the state ConfigMap. */
export const stateName = 'istio-lab-state';

/** An object a lab created. */
export interface RecordedObject extends ObjectRef {
  lab: string;
  step: string;
}

/** A label istio-lab changed on an object it did not create, with the value to restore. */
export interface RecordedLabel extends ObjectRef {
  lab: string;
  key: string;
  previous: string | null;
}

/** A control plane istio-lab installed with an external tool (reset uninstalls it with the same tool). */
export interface RecordedInstall {
  lab: string;
  step: string;
  tool: 'istioctl';
  version: string;
}

/** An object one lab created and a later lab changed, with its content before the change. */
export interface RecordedOverwrite extends ObjectRef {
  /** The lab that changed it (resetting that lab restores `previous`). */
  lab: string;
  step: string;
  previous: KubeObject;
}

/** The state document. */
export interface LabState {
  version: 1;
  labs: Record<string, { status: 'applying' | 'completed'; steps: string[]; updatedAt: string }>;
  objects: RecordedObject[];
  labels: RecordedLabel[];
  /** Absent in state written before installs were recorded. */
  installs?: RecordedInstall[];
  /** Absent in state written before overwrites were recorded. */
  overwrites?: RecordedOverwrite[];
}

const emptyState = (): LabState => ({ version: 1, labs: {}, objects: [], labels: [] });

/** True when two refs name the same object (a missing namespace counts as empty). */
export function sameRef(a: ObjectRef, b: ObjectRef): boolean {
  return a.apiVersion === b.apiVersion && a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');
}

/** Reads and writes the state ConfigMap. */
export class StateStore {
  private state: LabState = emptyState();
  private exists = false;

  constructor(private readonly cluster: Cluster) {}

  /** Load the state from the cluster (empty when istio-lab never ran there). */
  async load(): Promise<LabState> {
    const cm = await this.cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: stateNamespace, name: stateName });
    this.exists = !!cm;
    this.state = cm?.data?.['state.json'] ? (JSON.parse(cm.data['state.json']) as LabState) : emptyState();
    return this.state;
  }

  /** The loaded state. */
  get current(): LabState {
    return this.state;
  }

  /** Record objects before applying them (one write for the batch; already-recorded ones are skipped). */
  async recordObjects(objects: RecordedObject[]): Promise<void> {
    const fresh = objects.filter((obj) => !this.state.objects.some((o) => sameRef(o, obj)));
    if (!fresh.length) return;
    this.state.objects.push(...fresh);
    await this.save();
  }

  /** Record a label's previous value, the first time istio-lab changes it. */
  async recordLabel(label: RecordedLabel): Promise<void> {
    if (this.state.labels.some((l) => sameRef(l, label) && l.key === label.key)) return;
    this.state.labels.push(label);
    await this.save();
  }

  /** Record an install before running it (write-ahead, like objects). */
  async recordInstall(install: RecordedInstall): Promise<void> {
    const installs = (this.state.installs ??= []);
    if (installs.some((i) => i.lab === install.lab && i.tool === install.tool)) return;
    installs.push(install);
    await this.save();
  }

  /** Record another lab's object before this lab changes it (the first change per lab only). */
  async recordOverwrite(overwrite: RecordedOverwrite): Promise<void> {
    const overwrites = (this.state.overwrites ??= []);
    if (overwrites.some((o) => o.lab === overwrite.lab && sameRef(o, overwrite))) return;
    overwrites.push(overwrite);
    await this.save();
  }

  /** Mark a lab's progress. */
  async markLab(lab: string, status: 'applying' | 'completed', steps: string[]): Promise<void> {
    this.state.labs[lab] = { status, steps, updatedAt: new Date().toISOString() };
    await this.save();
  }

  /** Forget a lab and everything recorded for it (after reset). */
  async forgetLab(lab: string): Promise<void> {
    delete this.state.labs[lab];
    this.state.objects = this.state.objects.filter((o) => o.lab !== lab);
    this.state.labels = this.state.labels.filter((l) => l.lab !== lab);
    // Optional lists disappear when empty, so a reset state reads exactly as before the lab.
    const installs = (this.state.installs ?? []).filter((i) => i.lab !== lab);
    const overwrites = (this.state.overwrites ?? []).filter((o) => o.lab !== lab);
    if (installs.length) this.state.installs = installs;
    else delete this.state.installs;
    if (overwrites.length) this.state.overwrites = overwrites;
    else delete this.state.overwrites;
    await this.save();
  }

  /** Remove one object from the record. */
  async forgetObject(ref: ObjectRef): Promise<void> {
    this.state.objects = this.state.objects.filter((o) => !sameRef(o, ref));
    await this.save();
  }

  /** True when nothing is recorded. */
  isEmpty(): boolean {
    return !Object.keys(this.state.labs).length && !this.state.objects.length && !this.state.labels.length && !this.state.installs?.length;
  }

  /**
   * Delete the state ConfigMap (when reset has removed everything), and the namespace if istio-lab
   * created it and no Lease lives there: a command holding the lease removes it when it releases
   * the lease (lease.ts), so no other istio-lab's lease ever vanishes with it.
   */
  async destroy(): Promise<void> {
    await this.cluster.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: stateNamespace, name: stateName });
    const ns = await this.cluster.get({ apiVersion: 'v1', kind: 'Namespace', name: stateNamespace });
    const leases = ns ? (await this.cluster.list('coordination.k8s.io/v1', 'Lease', { namespace: stateNamespace }).catch(() => ({ items: [] }))).items : [];
    if (ns?.metadata.labels?.[managedByLabel] === managedByValue && !leases.length) {
      await this.cluster.delete({ apiVersion: 'v1', kind: 'Namespace', name: stateNamespace });
    }
    this.exists = false;
    this.state = emptyState();
  }

  private async save(): Promise<void> {
    const labels = { [managedByLabel]: managedByValue };
    if (!this.exists) {
      await this.cluster.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: stateNamespace, labels } }, { fieldManager, force: true });
      this.exists = true;
    }
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: stateName, namespace: stateNamespace, labels }, data: { 'state.json': JSON.stringify(this.state) } };
    await this.cluster.apply(cm, { fieldManager, force: true });
  }
}
