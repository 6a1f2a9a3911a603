// Workload-model lookup by image, image normalisation, and the sandbox shell's parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imageRepository, normalizeImage, resolveWorkloadModel, workloadModels } from '../../../src/sandbox/workloads/index.js';
import { parseShellList } from '../../../src/sandbox/workloads/tools/shell-words.js';

test('models are keyed by repository: registry host, library/, tag and digest stripped', () => {
  assert.equal(imageRepository('docker.io/kennethreitz/httpbin'), 'kennethreitz/httpbin');
  assert.equal(imageRepository('kennethreitz/httpbin:latest'), 'kennethreitz/httpbin');
  assert.equal(imageRepository('docker.io/library/nginx:1.27@sha256:abc'), 'nginx');
  assert.equal(imageRepository('localhost:5000/team/app:v1'), 'team/app');
  assert.equal(imageRepository('gcr.io/istio-release/proxyv2:1.20.0'), 'istio-release/proxyv2');
});

test('resolveWorkloadModel finds registered models (also behind mirrors) and falls back to echo', () => {
  const proxy = workloadModels['istio/proxyv2'];
  assert.equal(resolveWorkloadModel('docker.io/istio/proxyv2:1.24.0').model, proxy);
  assert.equal(resolveWorkloadModel('mirror.example.com/cache/istio/proxyv2:1.24.0').model, proxy);
  assert.deepEqual(
    { ...resolveWorkloadModel('docker.io/library/nginx:1.27'), model: resolveWorkloadModel('docker.io/library/nginx:1.27').model.name },
    { model: 'echo', modelled: false },
  );
});

test('images are reported fully qualified, as containerd does', () => {
  assert.equal(normalizeImage('nginx'), 'docker.io/library/nginx:latest');
  assert.equal(normalizeImage('istio/proxyv2:1.24.0'), 'docker.io/istio/proxyv2:1.24.0');
  assert.equal(normalizeImage('gcr.io/x/y@sha256:00'), 'gcr.io/x/y@sha256:00');
});

test('the shell parser handles quotes, expansion and lists, and refuses pipelines', () => {
  const vars: Record<string, string> = { A: 'one two', EMPTY: '' };
  const parse = (line: string) => [...parseShellList(line, (n) => vars[n])];
  assert.deepEqual(parse(`echo 'a b' "c $A" $A\\ x $EMPTY # comment`), [{ argv: ['echo', 'a b', 'c one two', 'one', 'two x'], when: 'always' }]);
  assert.deepEqual(parse('a && b || c; d'), [
    { argv: ['a'], when: 'always' },
    { argv: ['b'], when: 'success' },
    { argv: ['c'], when: 'failure' },
    { argv: ['d'], when: 'always' },
  ]);
  assert.deepEqual(parse('echo "unterminated'), [{ error: 'syntax error: unterminated quoted string', code: 2 }]);
  assert.deepEqual(parse('a &&'), [{ argv: ['a'], when: 'always' }, { error: 'syntax error: unexpected end of file', code: 2 }]);
  assert.equal((parse('echo $(date)')[0] as { code: number }).code, 2);
  assert.equal((parse('echo hi > /tmp/x')[0] as { code: number }).code, 2);
});
