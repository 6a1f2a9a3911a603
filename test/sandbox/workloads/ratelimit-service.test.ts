// §10 envoyproxy/ratelimit's config semantics and fixed-window decision (config_impl.go GetLimit,
// the redis fixed cache), with an in-memory counter backend and an injected time.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findLimit, loadRateLimitConfig } from '../../../src/sandbox/workloads/ratelimit-config.js';
import { shouldRateLimit, type CounterBackend } from '../../../src/sandbox/workloads/ratelimit-service.js';

const task = `domain: ratelimit
descriptors:
  - key: PATH
    value: "/productpage"
    rate_limit: { unit: minute, requests_per_unit: 1 }
  - key: PATH
    value: "api"
    rate_limit: { unit: minute, requests_per_unit: 2 }
  - key: PATH
    rate_limit: { unit: minute, requests_per_unit: 100 }
  - key: user
    value: "bot*"
    rate_limit: { unit: second, requests_per_unit: 5 }
  - key: remote_address
    descriptors:
      - key: PATH
        rate_limit: { unit: hour, requests_per_unit: 7 }
  - key: internal
    rate_limit: { unlimited: true }
`;

const d = (...kv: [string, string][]) => ({ entries: kv.map(([key, value]) => ({ key, value })) });

/** Counters in a Map, recording what was asked. */
function memoryBackend() {
  const counts = new Map<string, number>();
  const backend: CounterBackend & { keys: string[] } = {
    keys: [],
    async incrementAll(items) {
      return items.map((i) => {
        backend.keys.push(i.key);
        counts.set(i.key, (counts.get(i.key) ?? 0) + i.by);
        return counts.get(i.key)!;
      });
    },
  };
  return backend;
}

describe('§10 envoyproxy/ratelimit config', () => {
  const config = loadRateLimitConfig([{ name: 'config.config', content: task }]);

  it('§10 key_value first, then the key alone as the default; unknown domains have no limit', () => {
    assert.equal(findLimit(config, 'ratelimit', d(['PATH', '/productpage']))?.requestsPerUnit, 1);
    assert.equal(findLimit(config, 'ratelimit', d(['PATH', 'api']))?.requestsPerUnit, 2);
    assert.equal(findLimit(config, 'ratelimit', d(['PATH', '/productpage?x=1']))?.requestsPerUnit, 100);
    assert.equal(findLimit(config, 'other', d(['PATH', '/productpage'])), undefined);
    assert.equal(findLimit(config, 'ratelimit', d(['nothing', 'x'])), undefined);
  });

  it('§10 wildcard values, nested descriptors (a limit applies only at the last entry), unlimited', () => {
    assert.equal(findLimit(config, 'ratelimit', d(['user', 'bot-42']))?.unit, 'SECOND');
    assert.equal(findLimit(config, 'ratelimit', d(['remote_address', '10.0.0.1'], ['PATH', '/x']))?.requestsPerUnit, 7);
    assert.equal(findLimit(config, 'ratelimit', d(['remote_address', '10.0.0.1'])), undefined);
    assert.equal(findLimit(config, 'ratelimit', d(['PATH', '/productpage'], ['extra', 'x'])), undefined);
    assert.equal(findLimit(config, 'ratelimit', d(['internal', 'yes']))?.unlimited, true);
  });

  it('§10 invalid configs are errors naming the file, as the service logs them', () => {
    const bad = (content: string) => assert.throws(() => loadRateLimitConfig([{ name: 'config.config', content }]));
    bad('domain: x\ndescriptors:\n  - key: PATH\n    rate_limit: { unit: fortnight, requests_per_unit: 1 }\n');
    bad('domain: x\ndescriptors:\n  - key: PATH\n  - key: PATH\n');
    bad('domain: x\nlimits: []\n');
    bad('descriptors: []\n');
    bad('domain: x\ndescriptors:\n  - key: PATH\n    rate_limit: { unlimited: true, unit: minute }\n');
    assert.throws(() => loadRateLimitConfig([{ name: 'a', content: 'domain: x\n' }, { name: 'b', content: 'domain: x\n' }]), /^Error: b: duplicate domain 'x' in config file$/);
  });
});

describe('§10 ShouldRateLimit (fixed windows)', () => {
  const config = loadRateLimitConfig([{ name: 'config.config', content: task }]);
  const at = (iso: string) => Date.parse(iso) / 1000;

  it('§10 counts per descriptor in windows aligned to the unit; the key names domain, entries and window start', async () => {
    const backend = memoryBackend();
    const req = { domain: 'ratelimit', descriptors: [d(['PATH', '/productpage'])] };
    const first = await shouldRateLimit(req, config, backend, at('2026-01-01T00:00:59Z'));
    const second = await shouldRateLimit(req, config, backend, at('2026-01-01T00:00:59.5Z'));
    const nextWindow = await shouldRateLimit(req, config, backend, at('2026-01-01T00:01:00Z'));
    assert.deepEqual([first.overallCode, second.overallCode, nextWindow.overallCode], ['OK', 'OVER_LIMIT', 'OK']);
    assert.deepEqual(second.statuses[0], { code: 'OVER_LIMIT', currentLimit: { requestsPerUnit: 1, unit: 'MINUTE' }, durationUntilReset: '1s' });
    assert.deepEqual(backend.keys, ['ratelimit_PATH_/productpage_1767225600', 'ratelimit_PATH_/productpage_1767225600', 'ratelimit_PATH_/productpage_1767225660']);
  });

  it('§10 the default limit counts each value on its own; a descriptor without a limit is OK and not counted', async () => {
    const backend = memoryBackend();
    const t = at('2026-01-01T00:00:10Z');
    const r = await shouldRateLimit({ domain: 'ratelimit', descriptors: [d(['PATH', '/a']), d(['nothing', 'x'])] }, config, backend, t);
    assert.deepEqual(r.statuses, [{ code: 'OK', currentLimit: { requestsPerUnit: 100, unit: 'MINUTE' }, limitRemaining: 99, durationUntilReset: '50s' }, { code: 'OK' }]);
    assert.deepEqual(backend.keys, ['ratelimit_PATH_/a_1767225600']);
  });

  it('§10 errors: empty domain, no descriptors, no config loaded, backend failure', async () => {
    const backend = memoryBackend();
    await assert.rejects(shouldRateLimit({ domain: '', descriptors: [d(['PATH', '/'])] }, config, backend, 0), /domain must not be empty/);
    await assert.rejects(shouldRateLimit({ domain: 'ratelimit', descriptors: [] }, config, backend, 0), /descriptor list must not be empty/);
    await assert.rejects(shouldRateLimit({ domain: 'ratelimit', descriptors: [d(['PATH', '/'])] }, undefined, backend, 0), /no rate limit configuration loaded/);
    const down: CounterBackend = { incrementAll: async () => Promise.reject(new Error('EOF')) };
    await assert.rejects(shouldRateLimit({ domain: 'ratelimit', descriptors: [d(['PATH', '/'])] }, config, down, 0), (e: any) => e.kind === 'redis' && e.message === 'EOF');
  });
});
