// The stock kubectl, given only the sandbox's kubeconfig, port-forwards to httpbin: over the
// SPDY-in-WebSocket tunnel (kubectl 1.31+, or 1.30 with KUBECTL_PORT_FORWARD_WEBSOCKETS=true) and
// over a plain SPDY/3.1 upgrade (KUBECTL_PORT_FORWARD_WEBSOCKETS=false, older kubectl).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { hasKubectl, startTestSandbox, type TestSandbox } from '../../helpers/sandbox.js';
import { httpRequest, startPortForward, type PortForwardProcess } from './port-forward-process.js';

/** kubectl's client minor version (0 when it cannot say); the tunnel needs 1.30+. */
const clientMinor = hasKubectl ? readClientMinor() : 0;
/** kubectl's -v=6 line for a successful upgrade ("GET https://…/portforward 101 …", or 1.33's structured form). */
const upgradeLine = (method: string): RegExp => new RegExp(`(${method} https://\\S+/portforward|verb="${method}" url="https://\\S+/portforward" status=") ?101 Switching Protocols`);
const TUNNEL_UPGRADE = upgradeLine('GET');
const SPDY_UPGRADE = upgradeLine('POST');

describe('kubectl port-forward against the sandbox', { skip: !hasKubectl && 'kubectl is not installed on this machine', timeout: 30_000 }, () => {
  let sb: TestSandbox;
  let pod: string;
  const running: PortForwardProcess[] = [];
  const forward = async (target: string, ports: string, websockets: boolean): Promise<PortForwardProcess> => {
    const env = { ...process.env, HOME: sb.home, KUBECONFIG: sb.handle.kubeconfigPath, KUBECTL_PORT_FORWARD_WEBSOCKETS: String(websockets) };
    // -v=6 makes kubectl log its upgrade request (method, path, status): the transport it used.
    const pf = await startPortForward(['port-forward', '-v=6', target, ports], env);
    running.push(pf);
    return pf;
  };
  const getJson = async (port: number, path: string, body?: string): Promise<any> => {
    const res = await httpRequest(port, path, body);
    assert.equal(res.status, 200, res.text);
    return JSON.parse(res.text);
  };

  before(async () => {
    sb = await startTestSandbox();
    const apply = await sb.kubectl(['apply', '-f', 'manifests/samples/httpbin.yaml']);
    assert.equal(apply.code, 0, apply.stderr);
    const rollout = await sb.kubectl(['rollout', 'status', 'deployment/httpbin', '--timeout=20s']);
    assert.equal(rollout.code, 0, rollout.stderr);
    pod = (await sb.kubectl(['get', 'pods', '-l', 'app=httpbin', '-o', 'jsonpath={.items[0].metadata.name}'])).stdout;
    assert.match(pod, /^httpbin-/);
  });
  after(async () => {
    await Promise.all(running.map((pf) => pf.stop()));
    await sb?.dispose();
  });

  it('forwards pod/<httpbin> over the SPDY WebSocket tunnel: sequential and concurrent connections reach httpbin', { skip: clientMinor < 30 && `kubectl 1.${clientMinor} cannot tunnel SPDY in a WebSocket` }, async () => {
    const pf = await forward(`pod/${pod}`, ':8080', true);
    assert.equal(pf.remotePort, 8080);
    for (let i = 0; i < 3; i++) {
      const body = await getJson(pf.localPort, `/get?n=${i}`);
      assert.equal(body.url, `http://127.0.0.1:${pf.localPort}/get?n=${i}`);
      assert.deepEqual(body.args, { n: [String(i)] });
    }
    const uuids = await Promise.all(Array.from({ length: 8 }, () => getJson(pf.localPort, '/uuid')));
    assert.equal(new Set(uuids.map((u) => u.uuid)).size, 8, 'eight separate requests answered');
    const large = 'x'.repeat(300_000);
    assert.equal((await getJson(pf.localPort, '/anything', large)).data, large, 'a 300 kB body goes there and back intact');
    assert.match(pf.stderr(), TUNNEL_UPGRADE);
    assert.doesNotMatch(pf.stderr(), SPDY_UPGRADE, 'no fallback to plain SPDY');
  });

  it('forwards svc/httpbin: kubectl maps service port 8000 to the pod port 8080', async () => {
    const pf = await forward('svc/httpbin', ':8000', true);
    assert.equal(pf.remotePort, 8080);
    const res = await httpRequest(pf.localPort, '/status/418');
    assert.equal(res.status, 418);
  });

  it('speaks plain SPDY/3.1 when KUBECTL_PORT_FORWARD_WEBSOCKETS=false', async () => {
    const pf = await forward(`pod/${pod}`, ':8080', false);
    const [a, b] = await Promise.all([getJson(pf.localPort, '/headers'), getJson(pf.localPort, '/get')]);
    assert.deepEqual(a.headers.Host, [`127.0.0.1:${pf.localPort}`]);
    assert.equal(b.url, `http://127.0.0.1:${pf.localPort}/get`);
    assert.match(pf.stderr(), SPDY_UPGRADE);
    assert.doesNotMatch(pf.stderr(), TUNNEL_UPGRADE);
  });

  for (const websockets of [true, false]) {
    it(`reports a closed pod port as the kubelet does and exits "lost connection to pod" (websockets=${websockets})`, async () => {
      const pf = await forward(`pod/${pod}`, ':9999', websockets);
      await assert.rejects(httpRequest(pf.localPort, '/'), /socket hang up|ECONNRESET/);
      assert.equal(await pf.exited, 1);
      const expected = `an error occurred forwarding ${pf.localPort} -> 9999: error forwarding port 9999 to pod ${pod}, uid : `;
      assert.ok(pf.stderr().includes(expected), pf.stderr());
      assert.match(pf.stderr(), /connect: connection refused/);
      assert.match(pf.stderr(), /^error: lost connection to pod$/m);
    });
  }
});

function readClientMinor(): number {
  try {
    const version = JSON.parse(execFileSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' }));
    return Number.parseInt(version.clientVersion?.minor ?? '0', 10) || 0;
  } catch {
    return 0;
  }
}
