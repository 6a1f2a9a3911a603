// The files the kubelet manages inside every container: /etc/hostname, /etc/hosts, /etc/resolv.conf
// and the service-account namespace (what `cat` in an emulated container can read besides model files).
import type { KubeObject } from '../types.js';

/** The cluster DNS Service's ClusterIP (kube-dns). */
export const CLUSTER_DNS_IP = '10.96.0.10';
/** The cluster domain. */
export const CLUSTER_DOMAIN = 'cluster.local';

/** Kubelet-managed files for a container of `pod` running at `podIP`. */
export function kubeletManagedFiles(pod: KubeObject, podIP: string): Record<string, string> {
  const ns = pod.metadata.namespace ?? 'default';
  const hostname: string = pod.spec?.hostname ?? pod.metadata.name ?? '';
  const files: Record<string, string> = {
    '/etc/hostname': `${hostname}\n`,
    '/etc/hosts': hostsFile(pod, hostname, podIP, ns),
    '/etc/resolv.conf': resolvConf(pod, ns),
  };
  if (pod.spec?.automountServiceAccountToken !== false) files['/var/run/secrets/kubernetes.io/serviceaccount/namespace'] = ns;
  return files;
}

/** The kubelet's hosts file: loopback entries, the pod's own address, then spec.hostAliases. */
function hostsFile(pod: KubeObject, hostname: string, podIP: string, ns: string): string {
  const lines = [
    '# Kubernetes-managed hosts file.',
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'fe00::0\tip6-mcastprefix',
    'fe00::1\tip6-allnodes',
    'fe00::2\tip6-allrouters',
  ];
  const subdomain: string | undefined = pod.spec?.subdomain;
  lines.push(subdomain ? `${podIP}\t${hostname}.${subdomain}.${ns}.svc.${CLUSTER_DOMAIN}\t${hostname}` : `${podIP}\t${hostname}`);
  const aliases: any[] = pod.spec?.hostAliases ?? [];
  if (aliases.length) {
    lines.push('', '# Entries added by HostAliases.');
    for (const a of aliases) lines.push(`${a.ip}\t${(a.hostnames ?? []).join('\t')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** resolv.conf for dnsPolicy ClusterFirst (the default), honouring spec.dnsConfig additions. */
function resolvConf(pod: KubeObject, ns: string): string {
  const dnsConfig = pod.spec?.dnsConfig ?? {};
  const search = [`${ns}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN, ...(dnsConfig.searches ?? [])];
  const servers = pod.spec?.dnsPolicy === 'None' ? (dnsConfig.nameservers ?? []) : [CLUSTER_DNS_IP, ...(dnsConfig.nameservers ?? [])];
  const options = ['ndots:5', ...(dnsConfig.options ?? []).map((o: any) => (o.value !== undefined ? `${o.name}:${o.value}` : o.name))];
  return `search ${search.join(' ')}\n${servers.map((s: string) => `nameserver ${s}`).join('\n')}\noptions ${options.join(' ')}\n`;
}
