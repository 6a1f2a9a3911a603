// Kubeconfig loading without @kubernetes/client-node's KubeConfig module, which loads every generated
// API model (~0.5 s of start-up). Files are parsed and merged as client-node does (kubeconfig-parse.ts);
// static credentials (token, token-file, client certificate, basic auth, impersonation, CA,
// insecure-skip-tls-verify, tls-server-name) are applied as its applyToHTTPSOptions does; exec plugins,
// auth providers and proxies go to client-node's own KubeConfig, loaded only then.
// test/cluster/kubeconfig.test.ts holds this module to client-node's results.
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent, type RequestOptions } from 'node:https';
import { parseKubeconfigFiles, parseKubeconfigText } from './kubeconfig-parse.js';

/** A cluster entry, shaped as client-node's Cluster. */
export interface KubeconfigCluster {
  name: string;
  server: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
}

/** A user entry, shaped as client-node's User. */
export interface KubeconfigUser {
  name: string;
  authProvider?: any;
  certData?: string;
  certFile?: string;
  exec?: any;
  keyData?: string;
  keyFile?: string;
  token?: string;
  password?: string;
  username?: string;
  impersonateUser?: string;
}

/** A context entry, shaped as client-node's Context. */
export interface KubeconfigContext {
  name: string;
  cluster: string;
  user?: string;
  namespace?: string;
}

/** Everything a kubeconfig (or several merged) holds. */
export interface KubeconfigData {
  clusters: KubeconfigCluster[];
  users: KubeconfigUser[];
  contexts: KubeconfigContext[];
  currentContext?: string;
}

/** client-node's KubeConfig, for the credentials this module leaves to it. */
export interface FullKubeconfig {
  /** Select the context to authenticate as. */
  setCurrentContext(name: string): void;
  /** Fill TLS options, auth headers and an agent into https request options. */
  applyToHTTPSOptions(opts: RequestOptions): Promise<void>;
  /** The same, as node-fetch options (client-node's Watch uses these). */
  applyToFetchOptions(opts: RequestOptions): Promise<unknown>;
}

/** Builds client-node's KubeConfig from already parsed data (kube.ts imports client-node). */
export type LoadFullKubeconfig = (data: KubeconfigData) => Promise<FullKubeconfig>;

/** A loaded kubeconfig with the KubeConfig methods kube.ts and client-node's Watch/Exec/PortForward call. */
export class Kubeconfig {
  private full?: Promise<FullKubeconfig>;

  constructor(
    private readonly data: KubeconfigData,
    private readonly loadFull: LoadFullKubeconfig,
  ) {}

  /** Load files as client-node does for KUBECONFIG: the first, then each later one merged in (names must not repeat; a later current-context wins). */
  static fromFiles(files: string[], loadFull: LoadFullKubeconfig): Kubeconfig {
    return new Kubeconfig(parseKubeconfigFiles(files), loadFull);
  }

  /** Parse kubeconfig text (relative paths stay as written, as with client-node's loadFromString). */
  static fromString(text: string, loadFull: LoadFullKubeconfig): Kubeconfig {
    return new Kubeconfig(parseKubeconfigText(text), loadFull);
  }

  /** Every context. */
  getContexts(): KubeconfigContext[] {
    return this.data.contexts;
  }

  /** Every user (kubeconfig-secrets.ts lists their credentials for redaction). */
  getUsers(): KubeconfigUser[] {
    return this.data.users;
  }

  /** Name of the current context, if any. */
  getCurrentContext(): string {
    return this.data.currentContext as string;
  }

  /** Switch the current context. */
  setCurrentContext(name: string): void {
    this.data.currentContext = name;
  }

  /** The context of that name, or null. */
  getContextObject(name: string): KubeconfigContext | null {
    return this.data.contexts.find((c) => c.name === name) ?? null;
  }

  /** The current context's cluster, or null. */
  getCurrentCluster(): KubeconfigCluster | null {
    const context = this.getContextObject(this.getCurrentContext());
    return context ? (this.data.clusters.find((c) => c.name === context.cluster) ?? null) : null;
  }

  /** The current context's user, or null. */
  getCurrentUser(): KubeconfigUser | null {
    const context = this.getContextObject(this.getCurrentContext());
    return context ? (this.data.users.find((u) => u.name === context.user) ?? null) : null;
  }

  /** Whether the current credentials need client-node (exec plugin, auth provider, proxy). */
  needsClientNode(): boolean {
    const user = this.getCurrentUser();
    return !!(user?.exec || user?.authProvider || this.getCurrentCluster()?.proxyUrl);
  }

  /** Fill TLS options, auth headers and an agent into https request options, as client-node's KubeConfig does. */
  async applyToHTTPSOptions(opts: RequestOptions): Promise<void> {
    if (this.needsClientNode()) return (await this.fullConfig()).applyToHTTPSOptions(opts);
    const cluster = this.getCurrentCluster();
    const user = this.getCurrentUser();
    if (user) {
      if (cluster?.skipTLSVerify) opts.rejectUnauthorized = false;
      if (cluster?.tlsServerName) opts.servername = cluster.tlsServerName;
      const ca = cluster ? fileOrData(cluster.caFile, cluster.caData) : null;
      if (ca) opts.ca = ca;
      const cert = fileOrData(user.certFile, user.certData);
      if (cert) opts.cert = cert;
      const key = fileOrData(user.keyFile, user.keyData);
      if (key) opts.key = key;
      const headers = (opts.headers ??= {}) as Record<string, string>;
      if (user.impersonateUser != null) headers['Impersonate-User'] = user.impersonateUser;
      if (user.token) headers.Authorization = `Bearer ${user.token}`;
      if (user.username) opts.auth = `${user.username}:${user.password}`;
    }
    const agentOptions = { ca: opts.ca, cert: opts.cert, key: opts.key, pfx: opts.pfx, passphrase: opts.passphrase, rejectUnauthorized: opts.rejectUnauthorized, timeout: opts.timeout, servername: opts.servername };
    if (cluster?.server.startsWith('http:')) {
      if (!cluster.skipTLSVerify) throw new Error('HTTP protocol is not allowed when skipTLSVerify is not set or false');
      opts.agent = new HttpAgent(agentOptions) as unknown as HttpsAgent;
    } else opts.agent = new HttpsAgent(agentOptions);
  }

  /** The same as node-fetch options: agent, headers (basic auth folded in), method, timeout. */
  async applyToFetchOptions(opts: RequestOptions): Promise<unknown> {
    if (this.needsClientNode()) return (await this.fullConfig()).applyToFetchOptions(opts);
    await this.applyToHTTPSOptions(opts);
    const headers: Record<string, string> = {};
    for (const [key, val] of Object.entries(opts.headers ?? {})) {
      if (Array.isArray(val)) headers[key] = val.join(', ');
      else if (typeof val === 'number' || typeof val === 'string') headers[key] = String(val);
    }
    if (opts.auth) headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    return { agent: opts.agent, headers, method: opts.method, timeout: opts.timeout };
  }

  private async fullConfig(): Promise<FullKubeconfig> {
    this.full ??= this.loadFull(this.data);
    const full = await this.full;
    full.setCurrentContext(this.getCurrentContext());
    return full;
  }
}

function fileOrData(file: string | undefined, data: string | undefined): Buffer | null {
  if (file) return readFileSync(file);
  if (data) return Buffer.from(data, 'base64');
  return null;
}
