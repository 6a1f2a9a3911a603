import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createClassifier, readJsonPath, type ObservedResponse } from '../../src/traffic/index.js';

const response = (over: Partial<ObservedResponse>): ObservedResponse => ({ status: 200, headers: {}, body: '', latencyMs: 1, ...over });

describe('classification', () => {
  it('by header value, raw or through bucket regexes', () => {
    assert.equal(createClassifier({ by: 'header', header: 'X-Version' })(response({ headers: { 'x-version': 'v2' } })), 'v2');
    const c = createClassifier({ by: 'header', header: 'server', buckets: { envoy: '^istio-envoy$' } });
    assert.equal(c(response({ headers: { server: 'istio-envoy' } })), 'envoy');
    assert.equal(c(response({ headers: { server: 'nginx' } })), 'other');
    assert.equal(c(response({})), 'other');
  });

  it('by body regex: group 1 names the bucket', () => {
    const c = createClassifier({ by: 'bodyRegex', pattern: 'reviews-(v\\d)' });
    assert.equal(c(response({ body: '<p>reviews-v3-abc</p>' })), 'v3');
    assert.equal(c(response({ body: 'nothing' })), 'other');
    const stars = createClassifier({ by: 'bodyRegex', buckets: { red: 'color="red"', black: 'color="black"', none: '^(?![\\s\\S]*glyphicon-star)' } });
    assert.equal(stars(response({ body: '<font color="red">★</font>' })), 'red');
    assert.equal(stars(response({ body: 'no ratings' })), 'none');
  });

  it('by JSON path', () => {
    const c = createClassifier({ by: 'jsonPath', path: '$.headers.X-Version[0]' });
    assert.equal(c(response({ body: '{"headers":{"X-Version":["v1"]}}' })), 'v1');
    assert.equal(c(response({ body: 'not json' })), 'other');
    assert.equal(createClassifier({ by: 'jsonPath', path: 'n' })(response({ body: '{"n":3}' })), '3');
  });

  it('by status, with classes through buckets; transport errors are 000', () => {
    assert.equal(createClassifier({ by: 'status' })(response({ status: 503 })), '503');
    assert.equal(createClassifier({ by: 'status', buckets: { '5xx': '^5' } })(response({ status: 504 })), '5xx');
    assert.equal(createClassifier({ by: 'status' })(response({ status: 0, error: 'refused' })), '000');
  });

  it('reads JSON paths with quotes and indexes', () => {
    assert.deepEqual(readJsonPath({ a: [{ 'b-c': 1 }] }, "$.a[0]['b-c']"), { found: true, value: 1 });
    assert.deepEqual(readJsonPath({ a: 1 }, '$.b'), { found: false });
    assert.throws(() => readJsonPath({}, '$..a'), /cannot read JSON path/);
  });
});
