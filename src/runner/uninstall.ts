// Undo what an external installer did for a lab: `istioctl uninstall --purge` for an Istio that
// istio-lab installed with istioctl, but only while it is still the version istio-lab installed
// (someone who upgraded or reinstalled it since owns it now, and reset leaves it alone).
import type { Cluster } from '../cluster/types.js';
import type { EventSink, ObjectChange } from './events.js';
import type { RecordedInstall } from './state.js';
import { istioctl, istiodVersion } from '../actions/istioctl-install.js';

/** Uninstall the recorded installs of one lab; returns one change per install. */
export async function uninstallRecorded(cluster: Cluster, installs: RecordedInstall[], tools: { istioctl?: string } | undefined, emit: EventSink, signal: AbortSignal): Promise<ObjectChange[]> {
  const changes: ObjectChange[] = [];
  for (const install of installs) {
    const istiod = await cluster.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'istio-system', name: 'istiod' });
    if (!istiod) {
      changes.push({ ref: `istio ${install.version} (istioctl install)`, result: 'absent' });
      continue;
    }
    const running = istiodVersion(istiod);
    if (running !== install.version) {
      emit({ type: 'notice', message: `Istio on ${cluster.target.context} is now ${running ?? 'an unknown version'}, not the ${install.version} istio-lab installed; leaving it installed.` });
      changes.push({ ref: `istio ${running ?? '(unknown)'} (changed since istio-lab installed it)`, result: 'skipped' });
      continue;
    }
    const env = cluster.target.kubeconfig ? { KUBECONFIG: cluster.target.kubeconfig } : undefined;
    const locate = tools?.istioctl ? async () => tools.istioctl! : undefined;
    emit({ type: 'notice', message: `running istioctl uninstall --purge -y to remove the Istio ${install.version} istio-lab installed` });
    const r = await istioctl(['uninstall', '--purge', '-y', '--context', cluster.target.context], { env, locate, timeoutMs: 10 * 60_000, signal });
    if (r.exitCode !== 0) throw new Error(`istioctl uninstall failed (exit ${r.exitCode}): ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
    changes.push({ ref: `istio ${install.version} (istioctl uninstall --purge)`, result: 'deleted' });
  }
  return changes;
}
