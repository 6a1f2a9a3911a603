// Differential test: src/cluster/kubeconfig.ts against client-node's KubeConfig on the same files.
// Parsing, merging, errors and the request options (TLS, auth headers, agent) must come out the same.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { Kubeconfig, type KubeconfigData } from '../../src/cluster/kubeconfig.js';

const dir = mkdtempSync(join(tmpdir(), 'istio-lab-kubeconfig-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** Writes a kubeconfig (and returns its path). */
function write(name: string, text: string): string {
  const file = join(dir, name);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
}

/** The full KubeConfig, as kube.ts builds it for credentials kubeconfig.ts leaves to client-node. */
let fullLoads = 0;
const loadFull = async (data: KubeconfigData) => {
  fullLoads++;
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: data.clusters, users: data.users as any, contexts: data.contexts as any, currentContext: data.currentContext! });
  return kc;
};

/** What a request would carry: headers (lower-cased), TLS material and the agent's kind and options. */
function requestView(opts: any) {
  const agent = opts.agent;
  return {
    headers: Object.fromEntries(Object.entries(opts.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)])),
    ca: opts.ca?.toString(),
    cert: opts.cert?.toString(),
    key: opts.key?.toString(),
    auth: opts.auth,
    rejectUnauthorized: opts.rejectUnauthorized,
    servername: opts.servername,
    agent: agent && { type: agent.constructor.name, ca: agent.options.ca?.toString(), cert: agent.options.cert?.toString(), key: agent.options.key?.toString(), rejectUnauthorized: agent.options.rejectUnauthorized, servername: agent.options.servername },
  };
}

async function httpsOptions(kc: { applyToHTTPSOptions(o: any): Promise<void> }) {
  const opts: any = { method: 'GET', headers: { Accept: 'application/json' } };
  await kc.applyToHTTPSOptions(opts);
  return requestView(opts);
}

async function fetchOptions(kc: { applyToFetchOptions(o: any): Promise<any> }) {
  const init = await kc.applyToFetchOptions({});
  const headers = typeof init.headers?.raw === 'function' ? Object.fromEntries(Object.entries(init.headers.raw()).map(([k, v]) => [k, (v as string[]).join(', ')])) : init.headers;
  return { ...requestView({ ...init, headers }), method: init.method, timeout: init.timeout };
}

/** JSON-shaped copy without null or undefined fields (client-node fills absent user fields with null). */
const plain = (x: unknown): unknown => JSON.parse(JSON.stringify(x, (_k, v) => (v === null ? undefined : v)));

/** Loads `files` both ways (client-node reads several through KUBECONFIG) and compares everything kube.ts uses. */
async function compare(files: string[], context?: string) {
  const theirs = new KubeConfig();
  if (files.length === 1) theirs.loadFromFile(files[0]);
  else {
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = files.join(':');
    try {
      theirs.loadFromDefault({}, false);
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
    }
  }
  const ours = Kubeconfig.fromFiles(files, loadFull);
  if (context) {
    theirs.setCurrentContext(context);
    ours.setCurrentContext(context);
  }
  assert.deepEqual(plain(ours.getUsers()), plain(theirs.getUsers()));
  assert.equal(ours.getCurrentContext(), theirs.getCurrentContext());
  assert.deepEqual(ours.getContexts().map((c) => c.name), theirs.getContexts().map((c) => c.name));
  assert.deepEqual(plain(ours.getCurrentCluster()), plain(theirs.getCurrentCluster()));
  assert.equal(ours.getContextObject(ours.getCurrentContext())?.namespace, theirs.getContextObject(theirs.getCurrentContext())?.namespace);
  assert.deepEqual(await httpsOptions(ours), await httpsOptions(theirs));
  assert.deepEqual(await fetchOptions(ours), await fetchOptions(theirs));
  return ours;
}

/** Both loaders must fail, with the same message. */
function sameError(files: string[]) {
  const theirs = new KubeConfig();
  const message = (() => {
    try {
      theirs.loadFromFile(files[0]);
      for (const f of files.slice(1)) {
        const more = new KubeConfig();
        more.loadFromFile(f);
        theirs.mergeConfig(more);
      }
    } catch (err) {
      return (err as Error).message;
    }
    return assert.fail('client-node accepted it');
  })();
  assert.throws(() => Kubeconfig.fromFiles(files, loadFull), { message });
}

const config = (clusters: string, users: string, contexts: string, current = 'main') => `apiVersion: v1\nkind: Config\nclusters:\n${clusters}\nusers:\n${users}\ncontexts:\n${contexts}\ncurrent-context: ${current}\n`;

describe('kubeconfig loading matches client-node', () => {
  it('bearer token with inline CA, server with a trailing slash, context namespace', async () => {
    const file = write('token.yaml', config(`- name: c\n  cluster:\n    server: https://127.0.0.1:6443/\n    certificate-authority-data: ${b64('CA PEM')}`, '- name: u\n  user:\n    token: abc.def', '- name: main\n  context: { cluster: c, user: u, namespace: team-a }'));
    const ours = await compare([file]);
    assert.equal(ours.needsClientNode(), false);
  });

  it('client certificate and key from files relative to the kubeconfig, CA file', async () => {
    write('certs/ca.crt', 'CA FILE');
    write('certs/client.crt', 'CERT FILE');
    write('certs/client.key', 'KEY FILE');
    const file = write('certs/config', config('- name: c\n  cluster:\n    server: https://k8s.example:443\n    certificate-authority: ca.crt', '- name: u\n  user:\n    client-certificate: client.crt\n    client-key: ./client.key', '- name: main\n  context: { cluster: c, user: u }'));
    await compare([file]);
  });

  it('inline client certificate, basic auth, impersonation, skip-verify and tls-server-name', async () => {
    const file = write('basic.yaml', config(`- name: c\n  cluster:\n    server: https://10.0.0.1\n    insecure-skip-tls-verify: true\n    tls-server-name: api.internal`, `- name: u\n  user:\n    username: admin\n    password: s3cret\n    as: jane\n    client-certificate-data: ${b64('CERT')}\n    client-key-data: ${b64('KEY')}`, '- name: main\n  context: { cluster: c, user: u }'));
    await compare([file]);
  });

  it('token-file, and a context without a user (nothing is applied)', async () => {
    const tokenFile = write('token.txt', 'file-token'); // client-node does not trim a trailing newline (nor do we)
    const file = write('token-file.yaml', config('- name: c\n  cluster:\n    server: https://127.0.0.1:1', `- name: u\n  user:\n    token-file: ${tokenFile}`, '- name: main\n  context: { cluster: c, user: u }\n- name: anon\n  context: { cluster: c }'));
    await compare([file]);
    await compare([file], 'anon');
  });

  it('plain HTTP only with insecure-skip-tls-verify, with the same error otherwise', async () => {
    const ok = write('http.yaml', config('- name: c\n  cluster:\n    server: http://127.0.0.1:8080\n    insecure-skip-tls-verify: true', '- name: u\n  user:\n    token: t', '- name: main\n  context: { cluster: c, user: u }'));
    await compare([ok]);
    const bad = write('http-bad.yaml', config('- name: c\n  cluster:\n    server: http://127.0.0.1:8080', '- name: u\n  user:\n    token: t', '- name: main\n  context: { cluster: c, user: u }'));
    const theirs = new KubeConfig();
    theirs.loadFromFile(bad);
    const message = await theirs.applyToHTTPSOptions({}).then(() => assert.fail('accepted'), (err: Error) => err.message);
    await assert.rejects(Kubeconfig.fromFiles([bad], loadFull).applyToHTTPSOptions({}), { message });
  });

  it('several files merge as KUBECONFIG does in client-node (a later current-context wins)', async () => {
    const a = write('merge-a.yaml', config('- name: a\n  cluster:\n    server: https://a:6443', '- name: ua\n  user:\n    token: ta', '- name: ctx-a\n  context: { cluster: a, user: ua }', 'ctx-a'));
    const b = write('merge-b.yaml', config('- name: b\n  cluster:\n    server: https://b:6443', '- name: ub\n  user:\n    token: tb', '- name: ctx-b\n  context: { cluster: b, user: ub }', 'ctx-b'));
    const ours = await compare([a, b]);
    assert.equal(ours.getCurrentContext(), 'ctx-b');
    await compare([a, b], 'ctx-a');
  });

  it('rejects what client-node rejects, with its message', () => {
    sameError([write('no-server.yaml', config('- name: c\n  cluster: {}', '- name: u\n  user: {}', '- name: main\n  context: { cluster: c }'))]);
    sameError([write('no-name.yaml', config('- cluster: { server: https://x }', '- name: u\n  user: {}', '- name: main\n  context: { cluster: c }'))]);
    sameError([write('no-ctx-cluster.yaml', config('- name: c\n  cluster: { server: https://x }', '- name: u\n  user: {}', '- name: main\n  context: { user: u }'))]);
    sameError([write('empty.yaml', '')]);
    const dup = write('dup.yaml', config('- name: c\n  cluster: { server: https://x }', '- name: u\n  user: {}', '- name: main\n  context: { cluster: c }'));
    sameError([dup, dup]);
  });

  it('exec plugins go to client-node (loaded only then) and authenticate the same', async () => {
    const plugin = write('plugin.mjs', 'console.log(JSON.stringify({ apiVersion: "client.authentication.k8s.io/v1", kind: "ExecCredential", status: { token: "from-exec-plugin" } }));\n');
    const exec = `    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${process.execPath}\n      args: [${plugin}]\n      interactiveMode: Never`;
    const file = write('exec.yaml', config(`- name: c\n  cluster:\n    server: https://127.0.0.1:6443\n    certificate-authority-data: ${b64('CA')}`, `- name: static\n  user:\n    token: t\n- name: u\n  user:\n${exec}`, '- name: main\n  context: { cluster: c, user: u }\n- name: other\n  context: { cluster: c, user: static }'));
    const before = fullLoads;
    const ours = Kubeconfig.fromFiles([file], loadFull);
    ours.setCurrentContext('other');
    await httpsOptions(ours);
    assert.equal(fullLoads, before, 'static credentials must not load client-node');
    const ours2 = await compare([file]);
    assert.equal(ours2.needsClientNode(), true);
    assert.ok(fullLoads > before);
    assert.equal((await httpsOptions(ours2)).headers.authorization, 'Bearer from-exec-plugin');
  });
});
