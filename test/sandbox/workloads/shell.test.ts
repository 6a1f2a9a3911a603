// The sandbox shell: pipelines, lists, redirections, loops (for/while, $(seq), {1..N}), conditionals,
// expansions, background jobs, SIGPIPE-like early exit, and clear errors for what it does not support.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { sharedTools } from '../../../src/sandbox/workloads/tools/index.js';
import { collector, fakeNetwork, reply, sh, toolContext } from './harness.js';

const ctx = (files: Record<string, string> = {}) => toolContext(fakeNetwork((req) => reply(Number(req.url.pathname.split('/').pop()) || 200, `hi from ${req.url.pathname}\n`)), { files });

test('pipelines pass stdout to stdin; the status is the last command\'s (or negated with !)', async () => {
  assert.deepEqual(await sh(ctx(), 'echo hello | cat | tr a-z A-Z'), { code: 0, stdout: 'HELLO\n', stderr: '' });
  assert.equal((await sh(ctx(), 'false | true')).code, 0);
  assert.equal((await sh(ctx(), 'true | false')).code, 1);
  assert.equal((await sh(ctx(), '! true | false')).code, 0);
  assert.equal((await sh(ctx(), 'echo a |\n cat')).stdout, 'a\n');
});

test('&&, || and ; run conditionally and in sequence', async () => {
  assert.equal((await sh(ctx(), 'true && echo yes || echo no; false && echo yes || echo no')).stdout, 'yes\nno\n');
  assert.equal((await sh(ctx(), 'false; echo $?; true; echo $?')).stdout, '1\n0\n');
});

test('redirections: > /dev/null, > and >> files, 2>&1, >&2, <', async () => {
  const c = ctx();
  assert.deepEqual(await sh(c, 'echo gone > /dev/null; echo err >&2 2>/dev/null; echo kept'), { code: 0, stdout: 'kept\n', stderr: 'err\n' });
  await sh(c, 'echo one > /tmp/f; echo two >> /tmp/f');
  assert.equal(c.files['/tmp/f'], 'one\ntwo\n');
  assert.equal((await sh(c, 'wc -l < /tmp/f')).stdout, '2\n');
  assert.equal((await sh(c, 'cat /nope 2>&1 | grep -c "No such file"')).stdout, '1\n');
  assert.equal((await sh(c, 'curl -s -o /dev/null -w "%{http_code}" http://httpbin:8000/status/503 2>&1')).stdout, '503');
});

test('for loops over $(seq 1 N), {1..N} ranges and lists; while/until with $((…)) and [ ]', async () => {
  assert.equal((await sh(ctx(), 'for i in $(seq 1 3); do echo "n$i"; done')).stdout, 'n1\nn2\nn3\n');
  assert.equal((await sh(ctx(), 'for i in {1..10}; do printf "%s," $i; done')).stdout, '1,2,3,4,5,6,7,8,9,10,');
  assert.equal((await sh(ctx(), 'echo {a,b}-{01..03}')).stdout, 'a-01 a-02 a-03 b-01 b-02 b-03\n');
  assert.equal((await sh(ctx(), "echo '{1..3}' \"{1..3}\"")).stdout, '{1..3} {1..3}\n');
  assert.equal((await sh(ctx(), 'i=0; while [ $i -lt 3 ]; do i=$((i + 1)); done; echo $i')).stdout, '3\n');
  assert.equal((await sh(ctx(), 'n=3; until [ "$n" -eq 0 ]; do echo $n; n=$((n-1)); done')).stdout, '3\n2\n1\n');
  assert.equal((await sh(ctx(), 'for i in 1 2 3 4; do [ $i -eq 2 ] && continue; [ $i -eq 4 ] && break; echo $i; done')).stdout, '1\n3\n');
});

test('the seeds\' loop: ten curls counted by status', async () => {
  const r = await sh(ctx(), 'for i in {1..10}; do curl -s -o /dev/null -w "%{http_code}\\n" http://httpbin:8000/status/$((i % 2 ? 200 : 503)); done | sort | uniq -c');
  assert.equal(r.stdout, '      5 200\n      5 503\n');
});

test('if / elif / else, { } groups and ( ) subshells', async () => {
  assert.equal((await sh(ctx(), 'if curl -sf http://h/status/500 >/dev/null; then echo up; elif true; then echo degraded; else echo down; fi')).stdout, 'degraded\n');
  assert.equal((await sh(ctx(), 'x=1; (x=2; echo $x); echo $x; { x=3; }; echo $x')).stdout, '2\n1\n3\n');
  assert.equal((await sh(ctx(), '{ echo a; echo b; } | wc -l')).stdout, '2\n');
});

test('expansions: quoting, ${x:-default}, ${#x}, ${x%pattern}, $(…) and `…`, $((…))', async () => {
  const r = await sh(ctx(), 'A="a  b"; echo $A "$A" ${UNSET:-dflt} ${#A} ${A%% *} $(echo sub) `echo tick` $((2 * (3 + 4)))');
  assert.equal(r.stdout, 'a b a  b dflt 4 a sub tick 14\n');
  assert.equal((await sh(ctx(), 'set -- x y z; echo $# $2 "$@"')).stdout, '3 y x y z\n');
  assert.equal((await sh(ctx(), 'echo ${NOPE:?must be set}; echo never')).stderr, 'sh: NOPE: must be set\n');
});

test('background jobs with & run concurrently; wait collects them', async () => {
  const r = await sh(ctx(), 'for i in 3 2 1; do { sleep 0.$i; echo $i; } & done; wait; echo done');
  assert.equal(r.stdout, '1\n2\n3\ndone\n', 'the shortest sleep finishes first, so the jobs overlapped');
});

test('a finished reader stops an endless writer (like SIGPIPE)', async () => {
  const r = await sh(ctx(), 'while true; do echo y; done | head -n 2');
  assert.equal(r.stdout, 'y\ny\n');
  assert.equal((await sh(ctx(), 'while true; do echo y:1; done | cat | tr y z | cut -d: -f1 | head -n 1')).stdout, 'z\n');
  assert.equal((await sh(ctx(), 'seq 1 1000000 | grep -q 5')).code, 0);
});

test('read, exported variables for programs, set -e, exit', async () => {
  assert.equal((await sh(ctx(), 'printf "a b c\\nd\\n" | while read first rest; do echo "[$first|$rest]"; done')).stdout, '[a|b c]\n[d|]\n');
  assert.equal((await sh(ctx(), 'export GREETING=hi; FOO=bar env | grep -E "^(GREETING|FOO)=" | sort')).stdout, 'FOO=bar\nGREETING=hi\n');
  assert.deepEqual(await sh(ctx(), 'set -e; echo a; false; echo b'), { code: 1, stdout: 'a\n', stderr: '' });
  assert.deepEqual(await sh(ctx(), 'set -e; false || echo ok; false && echo no; echo end'), { code: 0, stdout: 'ok\nend\n', stderr: '' });
  assert.equal((await sh(ctx(), 'exit 7; echo no')).code, 7);
});

test('unsupported syntax and syntax errors exit 2 with a clear message', async () => {
  const c = await sh(ctx(), 'case x in x) echo;; esac');
  assert.equal(c.code, 2);
  assert.match(c.stderr, /^sh: 'case' is not supported by the sandbox's shell/);
  assert.deepEqual(await sh(ctx(), 'cat <<EOF\nx\nEOF'), { code: 2, stdout: '', stderr: "sh: '<<' redirections are not supported by the sandbox's shell\n" });
  assert.equal((await sh(ctx(), 'f() { echo; }')).stderr, "sh: function definitions are not supported by the sandbox's shell\n");
  assert.deepEqual(await sh(ctx(), 'for i in 1 2; do echo $i'), { code: 2, stdout: '', stderr: 'sh: syntax error: unexpected end of file (expecting "done")\n' });
  assert.equal((await sh(ctx(), 'echo a && && echo b')).stderr, 'sh: syntax error: unexpected "&&"\n');
  assert.equal((await sh(ctx(), 'echo "open')).stderr, 'sh: syntax error: unterminated quoted string\n');
  assert.deepEqual(await sh(ctx(), 'nosuchcmd'), { code: 127, stdout: '', stderr: 'sh: nosuchcmd: not found\n' });
});

test('interactive sh reads continuation lines until a construct is complete', async () => {
  const stdin = new PassThrough();
  stdin.end('for i in 1 2\ndo echo $i\ndone\necho end\n');
  const stdout = collector();
  const code = await sharedTools.sh(['sh'], { stdin, stdout, stderr: stdout, tty: false, signal: new AbortController().signal }, ctx());
  assert.deepEqual([code, stdout.text()], [0, '1\n2\nend\n']);
});
