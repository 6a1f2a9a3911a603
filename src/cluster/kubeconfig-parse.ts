// Reading kubeconfig files as client-node's KubeConfig does (loadFromFile, loadFromString, mergeConfig):
// the same fields, checks and error messages (test/cluster/kubeconfig.test.ts compares them).
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import yaml from 'js-yaml';
import type { KubeconfigCluster, KubeconfigContext, KubeconfigData, KubeconfigUser } from './kubeconfig.js';

/** Load files as client-node does for KUBECONFIG: the first, then each later one merged in (names must not repeat; a later current-context wins). */
export function parseKubeconfigFiles(files: string[]): KubeconfigData {
  const [first, ...rest] = files.map(parseFile);
  for (const more of rest) {
    if (more.currentContext) first.currentContext = more.currentContext;
    addUnique(first.clusters, more.clusters, 'cluster');
    addUnique(first.users, more.users, 'user');
    addUnique(first.contexts, more.contexts, 'context');
  }
  return first;
}

/** Relative certificate and key paths are relative to the file (token-file stays as written, as in client-node). */
function parseFile(file: string): KubeconfigData {
  const data = parseKubeconfigText(readFileSync(file).toString('utf-8'));
  const root = dirname(file);
  const absolute = (p: string) => (isAbsolute(p) ? p : join(root, p));
  for (const c of data.clusters) if (c.caFile) c.caFile = absolute(c.caFile);
  for (const u of data.users) {
    if (u.certFile) u.certFile = absolute(u.certFile);
    if (u.keyFile) u.keyFile = absolute(u.keyFile);
  }
  return data;
}

/** client-node's newClusters/newUsers/newContexts: the same fields, checks and messages. */
export function parseKubeconfigText(text: string): KubeconfigData {
  const obj = yaml.load(text) as any; // an empty document fails here, as in client-node
  const list = (a: unknown): any[] => (Array.isArray(a) ? a : []);
  const clusters = list(obj.clusters).map((e, i): KubeconfigCluster => {
    if (!e.name) throw new Error(`clusters[${i}].name is missing`);
    if (!e.cluster) throw new Error(`clusters[${i}].cluster is missing`);
    if (!e.cluster.server) throw new Error(`clusters[${i}].cluster.server is missing`);
    const c = e.cluster;
    return { caData: c['certificate-authority-data'], caFile: c['certificate-authority'], name: e.name, server: c.server.replace(/\/$/, ''), skipTLSVerify: c['insecure-skip-tls-verify'] === true, tlsServerName: c['tls-server-name'], proxyUrl: c['proxy-url'] };
  });
  const users = list(obj.users).map((e, i): KubeconfigUser => {
    if (!e.name) throw new Error(`users[${i}].name is missing`);
    const u = e.user ?? {};
    const token = u.token || (u['token-file'] ? readFileSync(u['token-file']).toString() : undefined);
    return { authProvider: u['auth-provider'], certData: u['client-certificate-data'], certFile: u['client-certificate'], exec: u.exec, keyData: u['client-key-data'], keyFile: u['client-key'], name: e.name, token, password: u.password, username: u.username, impersonateUser: u.as };
  });
  const contexts = list(obj.contexts).map((e, i): KubeconfigContext => {
    if (!e.name) throw new Error(`contexts[${i}].name is missing`);
    if (!e.context) throw new Error(`contexts[${i}].context is missing`);
    if (!e.context.cluster) throw new Error(`contexts[${i}].context.cluster is missing`);
    return { cluster: e.context.cluster, name: e.name, user: e.context.user || undefined, namespace: e.context.namespace || undefined };
  });
  return { clusters, users, contexts, currentContext: obj['current-context'] };
}

function addUnique<T extends { name: string }>(into: T[], more: T[], what: string): void {
  for (const item of more) {
    if (into.some((x) => x.name === item.name)) throw new Error(`Duplicate ${what}: ${item.name}`);
    into.push(item);
  }
}
