import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CHANNEL_V1,
  CHANNEL_V4,
  CHANNEL_V5,
  PORT_FORWARD_PROTOCOLS,
  REMOTE_COMMAND_PROTOCOLS,
  decodeFrame,
  encodeFrame,
  negotiateProtocol,
  parseProtocolHeader,
} from '../../../src/sandbox/api/stream/channel-protocol.js';
import {
  buildInternalErrorStatus,
  buildKubeletExecStatus,
  encodeStatusPayload,
  translateStatusForV5,
} from '../../../src/sandbox/api/stream/exec-status.js';
import {
  parseAttachQuery,
  parseExecQuery,
  parsePortForwardQuery,
  validateExecParams,
} from '../../../src/sandbox/api/stream/stream-query.js';

describe('sub-protocol negotiation', () => {
  it('splits Sec-WebSocket-Protocol lists and repeated headers', () => {
    assert.deepEqual(parseProtocolHeader('v5.channel.k8s.io, v4.channel.k8s.io'), [CHANNEL_V5, CHANNEL_V4]);
    assert.deepEqual(parseProtocolHeader(['a', 'b, c']), ['a', 'b', 'c']);
    assert.deepEqual(parseProtocolHeader(undefined), []);
  });

  it("takes the client's first supported offer, as the real handshake does", () => {
    const clientNode = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];
    assert.equal(negotiateProtocol(clientNode, REMOTE_COMMAND_PROTOCOLS), CHANNEL_V5);
    assert.equal(negotiateProtocol(clientNode, PORT_FORWARD_PROTOCOLS), CHANNEL_V4);
    assert.equal(negotiateProtocol(['v4.channel.k8s.io', 'v5.channel.k8s.io'], REMOTE_COMMAND_PROTOCOLS), CHANNEL_V4);
    assert.equal(negotiateProtocol([CHANNEL_V1], REMOTE_COMMAND_PROTOCOLS), CHANNEL_V1);
  });

  it('selects the unnamed binary protocol without an offer and nothing for unknown offers', () => {
    assert.equal(negotiateProtocol([], REMOTE_COMMAND_PROTOCOLS), '');
    assert.equal(negotiateProtocol([], PORT_FORWARD_PROTOCOLS), '');
    assert.equal(negotiateProtocol(['SPDY/3.1+portforward.k8s.io'], PORT_FORWARD_PROTOCOLS), undefined);
    assert.equal(negotiateProtocol([CHANNEL_V1], PORT_FORWARD_PROTOCOLS), undefined);
    assert.equal(negotiateProtocol(['base64.channel.k8s.io'], REMOTE_COMMAND_PROTOCOLS), undefined);
  });
});

describe('frames', () => {
  it('prefixes the channel byte and splits it off again', () => {
    const frame = encodeFrame(2, 'oops');
    assert.deepEqual([...frame], [2, ...Buffer.from('oops')]);
    assert.deepEqual(decodeFrame(frame), { channel: 2, payload: Buffer.from('oops') });
    assert.deepEqual([...encodeFrame(1)], [1]);
    assert.equal(decodeFrame(Buffer.alloc(0)), undefined);
  });
});

describe('exec query', () => {
  it('reads repeated command params and boolean flags as kube-apiserver converts them', () => {
    const url = new URL(
      'https://x/api/v1/namespaces/d/pods/p/exec?command=sh&command=-c&command=exit+3&container=app&stdin=1&stdout=true&stderr=TRUE&tty=false',
    );
    assert.deepEqual(parseExecQuery(url), {
      command: ['sh', '-c', 'exit 3'],
      container: 'app',
      stdin: true,
      stdout: true,
      stderr: true,
      tty: false,
    });
  });

  it('treats absent, 0 and false as false and any other value as true', () => {
    const parsed = parseExecQuery(new URL('https://x/exec?command=ls&stdin=0&stdout=&stderr=False'));
    assert.equal(parsed.stdin, false);
    assert.equal(parsed.stdout, true);
    assert.equal(parsed.stderr, false);
    assert.equal(parsed.tty, false);
    assert.equal(parsed.container, '');
  });

  it('drops stderr under a tty, as the kubelet does', () => {
    const parsed = parseExecQuery(new URL('https://x/exec?command=sh&stdout=1&stderr=1&tty=1'));
    assert.equal(parsed.tty, true);
    assert.equal(parsed.stderr, false);
  });

  it('ignores a command on attach and rejects requests without streams or command', () => {
    assert.deepEqual(parseAttachQuery(new URL('https://x/attach?command=ls&stdout=1')).command, []);
    const none = parseExecQuery(new URL('https://x/exec?command=ls'));
    assert.equal(validateExecParams(none, true), 'you must specify at least 1 of stdin, stdout, stderr');
    const noCommand = parseExecQuery(new URL('https://x/exec?stdout=1'));
    assert.match(validateExecParams(noCommand, true) ?? '', /at least one command/);
    assert.equal(validateExecParams(noCommand, false), undefined);
  });
});

describe('port-forward query', () => {
  it('reads repeated and comma-separated ports', () => {
    assert.deepEqual(parsePortForwardQuery(new URL('https://x/portforward?ports=80,443&ports=8080')), [80, 443, 8080]);
    assert.deepEqual(parsePortForwardQuery(new URL('https://x/portforward')), []);
  });

  it('rejects values that are not ports', () => {
    assert.throws(() => parsePortForwardQuery(new URL('https://x/portforward?ports=http')), RangeError);
    assert.throws(() => parsePortForwardQuery(new URL('https://x/portforward?ports=70000')), RangeError);
    assert.throws(() => parsePortForwardQuery(new URL('https://x/portforward?ports=0')), RangeError);
  });
});

describe('exec status', () => {
  it('serializes success and non-zero exit exactly as the kubelet (v4)', () => {
    assert.equal(encodeStatusPayload(buildKubeletExecStatus(['sh', '-c', 'exit 0'], 0), CHANNEL_V4), '{"metadata":{},"status":"Success"}');
    assert.equal(
      encodeStatusPayload(buildKubeletExecStatus(['sh', '-c', 'exit 3'], 3), CHANNEL_V4),
      '{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}',
    );
  });

  it("rewraps the exit message as kube-apiserver's stream translator does for v5", () => {
    assert.equal(
      encodeStatusPayload(buildKubeletExecStatus(['sh', '-c', 'exit 3'], 3), CHANNEL_V5),
      '{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: command terminated with exit code 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}',
    );
    assert.equal(encodeStatusPayload(buildKubeletExecStatus(['true'], 0), CHANNEL_V5), '{"metadata":{},"status":"Success"}');
  });

  it('wraps internal errors once from the kubelet and twice through the translator', () => {
    const kubelet = buildInternalErrorStatus('error executing command in container: boom');
    assert.equal(
      JSON.stringify(kubelet),
      '{"metadata":{},"status":"Failure","message":"Internal error occurred: error executing command in container: boom","reason":"InternalError","details":{"causes":[{"message":"error executing command in container: boom"}]},"code":500}',
    );
    assert.equal(
      translateStatusForV5(kubelet).message,
      'Internal error occurred: Internal error occurred: error executing command in container: boom',
    );
  });

  it('sends bare text for failures and nothing for success under channel.k8s.io', () => {
    assert.equal(encodeStatusPayload(buildKubeletExecStatus(['x'], 0), CHANNEL_V1), undefined);
    assert.equal(
      encodeStatusPayload(buildKubeletExecStatus(['false'], 1), ''),
      'command terminated with non-zero exit code: error executing command [false], exit code 1',
    );
  });
});
