// Bookinfo's four models on their own (§11.2), each served from a real http.Server with a fake pod network
// that records what they send: productpage's session, retries, timeouts and forwarded headers; reviews'
// per-version ratings calls and JSON; ratings' and details' answers and logs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSession, signSession } from '../../../src/sandbox/workloads/bookinfo-flask.js';
import { detailsModel } from '../../../src/sandbox/workloads/bookinfo-details-model.js';
import { productpageModel } from '../../../src/sandbox/workloads/bookinfo-productpage-model.js';
import { ratingsModel } from '../../../src/sandbox/workloads/bookinfo-ratings-model.js';
import { reviewsModel } from '../../../src/sandbox/workloads/bookinfo-reviews-model.js';
import { resolveWorkloadModel } from '../../../src/sandbox/workloads/index.js';
import { fakeNetwork, httpGet, reply, startModel, type SentRequest } from './harness.js';
import type { MeshResult } from '../../../src/sandbox/mesh/types.js';

const REAL_COOKIE = 'eyJ1c2VyIjoiamFzb24ifQ.ZB6Yfg.ddx3Bk-jVDnAMpyNGsfuXDh3Oxs'; // from a real productpage, 2023-03-25T06:45:18Z
const DETAILS = '{"id":0,"author":"William Shakespeare","year":1595,"type":"paperback","pages":200,"publisher":"PublisherA","language":"English","ISBN-10":"1234567890","ISBN-13":"123-1234567890"}';
const REVIEWS_V2 = (pod: string) => `{"id": "0","podname": "${pod}","clustername": "null","reviews": [{  "reviewer": "Reviewer1",  "text": "An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!", "rating": {"stars": 5, "color": "black"}},{  "reviewer": "Reviewer2",  "text": "Absolutely fun and entertaining. The play lacks thematic depth when compared to other plays by Shakespeare.", "rating": {"stars": 4, "color": "black"}}]}`;
const json = (body: string) => reply(200, body, { 'content-type': 'application/json' });

test('every Bookinfo image in the sample resolves to its model', () => {
  for (const [image, model] of [
    ['docker.io/istio/examples-bookinfo-productpage-v1:1.20.3', productpageModel],
    ['docker.io/istio/examples-bookinfo-details-v1:1.20.3', detailsModel],
    ['docker.io/istio/examples-bookinfo-ratings-v1:1.20.3', ratingsModel],
    ['istio/examples-bookinfo-reviews-v1:1.20.3', reviewsModel],
    ['registry.istio.io/release/examples-bookinfo-reviews-v3:1.20.3', reviewsModel],
  ] as const) assert.equal(resolveWorkloadModel(image).model, model, image);
});

test('the Flask session cookie is byte-compatible with the real productpage and expires after 31 days', () => {
  const signedAt = new Date('2023-03-25T06:45:18Z');
  assert.equal(signSession({ user: 'jason' }, signedAt), REAL_COOKIE);
  assert.deepEqual(loadSession(`session=${REAL_COOKIE}`, new Date('2023-04-01T00:00:00Z')), { user: 'jason' });
  assert.deepEqual(loadSession(`other=1; session=${REAL_COOKIE}`, new Date('2023-04-25T06:45:17Z')), { user: 'jason' });
  assert.deepEqual(loadSession(`session=${REAL_COOKIE}`, new Date('2023-04-25T06:45:19Z')), {}, 'older than 31 days');
  assert.deepEqual(loadSession(`session=${REAL_COOKIE.replace('eyJ1c2VyIjoiamFzb24ifQ', 'eyJ1c2VyIjoiYWRtaW4ifQ')}`, signedAt), {}, 'tampered payload');
  const long = signSession({ user: 'x'.repeat(200) }, signedAt);
  assert.ok(long.startsWith('.'), 'zlib-compressed when shorter, as itsdangerous does');
  assert.deepEqual(loadSession(`session=${long}`, signedAt), { user: 'x'.repeat(200) });
});

test('productpage: login sets the session, then details and reviews get end-user and the forwarded headers', async (t) => {
  const net = fakeNetwork((req) => (req.url.pathname.startsWith('/details') ? json(DETAILS) : json(REVIEWS_V2('reviews-v2-abc-12345'))));
  const m = startModel(productpageModel, { name: 'productpage', image: 'istio/examples-bookinfo-productpage-v1:1.20.3' }, { network: net, clock: { now: () => new Date() } });
  t.after(() => m.stop.abort());
  const base = (await m.serve(9080)).url;
  assert.match(m.logs[0], /\[1\] \[INFO\] Starting gunicorn 23\.0\.0/);
  assert.equal(m.logs.filter((l) => /Booting worker/.test(l)).length, 8);

  const login = await httpGet(`${base}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', referer: 'http://bookinfo/productpage' }, body: 'username=jason' });
  assert.equal(login.status, 302);
  assert.equal(login.headers.location, 'http://bookinfo/productpage');
  assert.equal(login.headers.vary, 'Cookie');
  const cookie = String((login.headers['set-cookie'] as string[])[0]).split(';')[0];
  assert.match(cookie, /^session=eyJ1c2VyIjoiamFzb24ifQ\./);

  const incoming = { cookie, 'user-agent': 'curl/8.16.0', 'x-request-id': 'r-1', authorization: 'Bearer t', traceparent: '00-abc-def-01', 'x-b3-traceid': '463ac35c9f6413ad', 'x-b3-spanid': 'a2fb4a1d1a96d312', 'x-b3-sampled': '1', 'x-b3-parentspanid': '0020000000000001', 'end-user': 'mallory' };
  const page = await httpGet(`${base}/productpage`, { headers: incoming });
  assert.equal(page.status, 200);
  assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(page.body.split('<svg id="glyphicon glyphicon-star"').length - 1, 9);
  assert.match(page.body, /Reviews served by: \n\s+reviews-v2-abc-12345\n/);
  assert.deepEqual(net.sent.map((s) => s.url.href), ['http://details:9080/details/0', 'http://reviews:9080/reviews/0']);
  for (const s of net.sent) {
    assert.equal(s.timeoutMs, 3000);
    assert.deepEqual(
      { ...s.headers },
      { 'user-agent': 'curl/8.16.0', 'accept-encoding': 'gzip, deflate', accept: '*/*', 'x-b3-traceid': '0000000000000000463ac35c9f6413ad', 'x-b3-spanid': 'a2fb4a1d1a96d312', 'x-b3-sampled': '1', 'end-user': 'jason', 'x-request-id': 'r-1', traceparent: '00-abc-def-01', cookie, authorization: 'Bearer t' },
    );
  }

  const logout = await httpGet(`${base}/logout`, { headers: { cookie } });
  assert.equal(logout.headers.location, 'None');
  assert.equal((logout.headers['set-cookie'] as string[])[0], 'session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/');
});

test('productpage: reviews gets two 3 s attempts, details one; failures still render a 200 page with the errors', async (t) => {
  const net = fakeNetwork((req): MeshResult => (req.url.pathname.startsWith('/details') ? reply(503, 'no healthy upstream') : { failure: 'timeout', message: 'timed out' }));
  const m = startModel(productpageModel, { name: 'productpage', image: 'istio/examples-bookinfo-productpage-v1' }, { network: net });
  t.after(() => m.stop.abort());
  const base = (await m.serve(9080)).url;
  const page = await httpGet(`${base}/productpage`);
  assert.equal(page.status, 200);
  assert.deepEqual(net.sent.map((s: SentRequest) => s.url.pathname), ['/details/0', '/reviews/0', '/reviews/0']);
  assert.match(page.body, /Error fetching product details<\/p>\n\s+\n\s+<p class="text-lg text-gray-600">Sorry, product details are currently unavailable for this book\.<\/p>/);
  assert.match(page.body, /Error fetching product reviews<\/p>\n\s+\n\s+<p class="text-lg text-gray-600">Sorry, product reviews are currently unavailable for this book\.<\/p>/);
  const api = await httpGet(`${base}/api/v1/products/0`);
  assert.equal(api.status, 503);
  assert.equal(api.body, '{"error": "Sorry, product details are currently unavailable for this book."}');
  assert.equal((await httpGet(`${base}/api/v1/products/0/reviews`)).status, 500, 'a timeout is an exception: 500');
  const metrics = (await httpGet(`${base}/metrics`)).body;
  assert.match(metrics, /^request_result_total\{destination_app="details",response_code="503"\} 2\.0$/m);
  assert.match(metrics, /^request_result_total\{destination_app="reviews",response_code="500"\} 2\.0$/m);
  assert.match(metrics, /^request_result_created\{destination_app="reviews",response_code="500"\} 1\.\d+e\+09$/m);
});

test('productpage: routes, methods, a non-JSON 200 from details is a 500 with Flask\'s error log', async (t) => {
  const net = fakeNetwork(() => reply(200, '<html>not json</html>'));
  const m = startModel(productpageModel, { name: 'productpage', image: 'istio/examples-bookinfo-productpage-v1' }, { network: net });
  t.after(() => m.stop.abort());
  const base = (await m.serve(9080)).url;
  assert.equal((await httpGet(`${base}/health`)).body, 'Product page is healthy');
  const products = await httpGet(`${base}/api/v1/products`);
  assert.match(products.body, /^\[\{"id": 0, "title": "The Comedy of Errors", "descriptionHtml": "<a href=\\"https:\/\/en\.wikipedia\.org/);
  const nf = await httpGet(`${base}/productpage/`);
  assert.equal(nf.status, 404);
  assert.match(nf.body, /<title>404 Not Found<\/title>/);
  const wrong = await httpGet(`${base}/login`);
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.allow, 'OPTIONS, POST');
  const broken = await httpGet(`${base}/productpage`);
  assert.equal(broken.status, 500);
  assert.ok(m.logs.includes('ERROR:productpage:Exception on /productpage [GET]'));
});

test('reviews: v1 never calls ratings; v2 asks with 10 s and black stars; v3 with 2.5 s and red; failures become the rating error', async (t) => {
  const net = fakeNetwork((req) => (req.headers['end-user'] === 'bob' ? reply(500, 'fault filter abort') : json('{"id":0,"ratings":{"Reviewer1":5,"Reviewer2":4}}')));
  const start = (v: string, env: Record<string, string> = {}) => {
    const m = startModel(reviewsModel, { name: 'reviews', image: `docker.io/istio/examples-bookinfo-reviews-${v}:1.20.3` }, { network: net, env, podName: `reviews-${v}-7f6c-x` });
    t.after(() => m.stop.abort());
    return m;
  };
  const v1 = await start('v1').serve(9080);
  assert.equal((await httpGet(`${v1.url}/reviews/0`)).body, '{"id": "0","podname": "reviews-v1-7f6c-x","clustername": "null","reviews": [{  "reviewer": "Reviewer1",  "text": "An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!"},{  "reviewer": "Reviewer2",  "text": "Absolutely fun and entertaining. The play lacks thematic depth when compared to other plays by Shakespeare."}]}');
  assert.equal(net.sent.length, 0);
  const v2 = await start('v2').serve(9080);
  assert.equal((await httpGet(`${v2.url}/reviews/0`, { headers: { 'end-user': 'jason', 'x-request-id': 'r-2', 'x-forwarded-proto': 'http' } })).body, REVIEWS_V2('reviews-v2-7f6c-x'));
  assert.deepEqual([net.sent[0].url.href, net.sent[0].timeoutMs, net.sent[0].headers], ['http://ratings:9080/ratings/0', 10000, { accept: 'application/json', 'x-request-id': 'r-2', 'end-user': 'jason' }]);
  const v3m = start('v3', { CLUSTER_NAME: 'east' });
  const v3url = (await v3m.serve(9080)).url;
  const v3 = JSON.parse((await httpGet(`${v3url}/reviews/0`, { headers: { 'end-user': 'bob' } })).body);
  assert.equal(net.sent[1].timeoutMs, 2500);
  assert.equal(v3.clustername, 'east');
  assert.deepEqual(v3.reviews.map((r: any) => r.rating), [{ error: 'Ratings service is currently unavailable' }, { error: 'Ratings service is currently unavailable' }]);
  assert.ok(v3m.logs.includes('Error: unable to contact http://ratings:9080/ratings got status of 500'));
  assert.equal((await httpGet(`${v2.url}/health`)).body, '{"status": "Reviews is healthy"}');
  assert.equal((await httpGet(`${v2.url}/reviews/abc`)).status, 404);
  const red = JSON.parse((await httpGet(`${v3url}/reviews/0`)).body);
  assert.equal(red.reviews[0].rating.color, 'red');
});

test('ratings: GET and POST /ratings/<id>, 400s, /health, and one log line per request', async (t) => {
  const m = startModel(ratingsModel, { name: 'ratings', image: 'istio/examples-bookinfo-ratings-v1:1.20.3' });
  t.after(() => m.stop.abort());
  const base = (await m.serve(9080)).url;
  const r = await httpGet(`${base}/ratings/0`);
  assert.equal(r.body, '{"id":0,"ratings":{"Reviewer1":5,"Reviewer2":4}}');
  assert.equal(r.headers['content-type'], 'application/json');
  assert.equal((await httpGet(`${base}/ratings/x`)).status, 400);
  assert.equal((await httpGet(`${base}/ratings/1`, { method: 'POST', body: '{"Reviewer1":1,"Reviewer2":2}' })).body, '{"id":1,"ratings":{"Reviewer1":1,"Reviewer2":2}}');
  assert.equal((await httpGet(`${base}/ratings/1`)).body, '{"id":1,"ratings":{"Reviewer1":1,"Reviewer2":2}}');
  assert.equal((await httpGet(`${base}/health`)).body, '{"status":"Ratings is healthy"}');
  assert.equal((await httpGet(`${base}/nope`)).status, 404);
  assert.deepEqual(m.logs.slice(0, 3), ['Server listening on: http://0.0.0.0:9080', 'GET /ratings/0', 'GET /ratings/x']);
});

test('details: the static record, a 400 for a non-numeric id, WEBrick logs; the external book service has no Internet here', async (t) => {
  const m = startModel(detailsModel, { name: 'details', image: 'istio/examples-bookinfo-details-v1:1.20.3' });
  t.after(() => m.stop.abort());
  const base = (await m.serve(9080)).url;
  const r = await httpGet(`${base}/details/0`);
  assert.equal(r.body, DETAILS);
  assert.equal(r.headers.server, 'WEBrick/1.8.1 (Ruby/3.3.0/2023-12-25)');
  const bad = await httpGet(`${base}/details/abc`);
  assert.deepEqual([bad.status, bad.body], [400, '{"error":"please provide numeric product id"}']);
  assert.equal((await httpGet(`${base}/health`)).body, '{"status":"Details is healthy"}');
  assert.equal((await httpGet(`${base}/other`)).status, 404);
  assert.match(m.logs[0], /^\[2025-07-16 17:17:09\] INFO {2}WEBrick 1\.8\.1$/);
  assert.deepEqual(m.logs.slice(3, 5), ['127.0.0.1 - - [16/Jul/2025:17:17:09 UTC] "GET /details/0 HTTP/1.1" 200 178', '- -> /details/0']);

  const ext = startModel(detailsModel, { name: 'details', image: 'istio/examples-bookinfo-details-v1' }, { env: { ENABLE_EXTERNAL_BOOK_SERVICE: 'true' } });
  t.after(() => ext.stop.abort());
  const e = await httpGet(`${(await ext.serve(9080)).url}/details/0`);
  assert.equal(e.status, 400);
  assert.match(e.body, /Failed to open TCP connection to www\.googleapis\.com:443/);
  assert.ok(ext.logs.some((l) => /istio-lab sandbox: details could not reach https:\/\/www\.googleapis\.com/.test(l)));
});
