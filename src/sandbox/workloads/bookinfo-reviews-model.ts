// istio/examples-bookinfo-reviews-v1/-v2/-v3 (samples/bookinfo/src/reviews, LibertyRestEndpoint.java on
// WebSphere Liberty, port 9080), §11.2. The image sets ENABLE_RATINGS (v1 false, v2/v3 true) and STAR_COLOR
// (v3 red, else black); pod env overrides both. With ratings on, GET /reviews/<id> asks ratings with a client
// timeout of 10000 ms for black stars and 2500 ms otherwise, forwarding the tracing and user headers; any
// failure gives each review `"rating": {"error": "Ratings service is currently unavailable"}`. The JSON
// names the pod (HOSTNAME) and CLUSTER_NAME ("null" when unset). The ratings call runs to its own timeout
// even when the caller has given up, as the Java client does.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isTransportFailure, type MeshResult } from '../mesh/types.js';
import { readBody, send } from './http-kit.js';
import { imageRepository } from './image-ref.js';
import type { ContainerContext, ContainerWorkload, WorkloadModel } from './model.js';

/** headers_to_propagate in LibertyRestEndpoint.java. */
const PROPAGATED = ['x-request-id', 'x-ot-span-context', 'x-datadog-trace-id', 'x-datadog-parent-id', 'x-datadog-sampling-priority', 'traceparent', 'tracestate', 'x-cloud-trace-context', 'grpc-trace-bin', 'x-b3-traceid', 'x-b3-spanid', 'x-b3-parentspanid', 'x-b3-sampled', 'x-b3-flags', 'sw8', 'end-user', 'user-agent', 'cookie', 'authorization', 'jwt'];
const REVIEWS = [
  ['Reviewer1', 'An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!'],
  ['Reviewer2', 'Absolutely fun and entertaining. The play lacks thematic depth when compared to other plays by Shakespeare.'],
];
const JSON_TYPE = { 'Content-Type': 'application/json' };

/** CXF's ProcessingException text for a failure below HTTP. */
function exceptionText(r: Extract<MeshResult, { failure: string }>, url: string): string {
  const [cls, what] = r.failure === 'timeout' ? ['SocketTimeoutException', 'Read timed out'] : r.failure === 'dns' ? ['UnknownHostException', new URL(url).hostname] : r.failure === 'connect-refused' ? ['ConnectException', 'Connection refused'] : ['SocketException', 'Connection reset'];
  return `javax.ws.rs.ProcessingException: java.net.${cls}: ${cls} invoking ${url}: ${what}`;
}

/** getJsonResponse(): the reviews JSON, built as the Java code concatenates it. */
function reviewsJson(id: string, podname: string, clustername: string, ratingsEnabled: boolean, color: string, stars: number[]): string {
  const entries = REVIEWS.map(([reviewer, text], i) => {
    let e = `{  "reviewer": "${reviewer}",  "text": "${text}"`;
    if (ratingsEnabled) e += stars[i] !== -1 ? `, "rating": {"stars": ${stars[i]}, "color": "${color}"}` : ', "rating": {"error": "Ratings service is currently unavailable"}';
    return `${e}}`;
  });
  return `{"id": "${id}","podname": "${podname}","clustername": "${clustername}","reviews": [${entries.join(',')}]}`;
}

/** istio/examples-bookinfo-reviews-v1, -v2 and -v3. */
export const reviewsModel: WorkloadModel = {
  name: 'bookinfo-reviews',
  create(ctx: ContainerContext): ContainerWorkload {
    const version = /reviews-(v\d+)/.exec(imageRepository(ctx.container.image))?.[1] ?? 'v1';
    const ratingsEnabled = (ctx.env.ENABLE_RATINGS ?? String(version !== 'v1')).toLowerCase() === 'true';
    const color = ctx.env.STAR_COLOR ?? (version === 'v3' ? 'red' : 'black');
    const timeoutMs = color === 'black' ? 10000 : 2500;
    const domain = ctx.env.SERVICES_DOMAIN === undefined ? '' : `.${ctx.env.SERVICES_DOMAIN}`;
    const ratingsService = `http://${ctx.env.RATINGS_HOSTNAME ?? 'ratings'}${domain}:${ctx.env.RATINGS_SERVICE_PORT ?? '9080'}/ratings`;
    const podname = ctx.env.HOSTNAME ?? 'null';
    const clustername = ctx.env.CLUSTER_NAME ?? 'null';

    /** getRatings(): the two reviewers' stars, or -1 each when ratings cannot be had. */
    const ratings = async (id: string, req: IncomingMessage): Promise<number[]> => {
      const headers: Record<string, string> = { accept: 'application/json' };
      for (const name of PROPAGATED) {
        const v = req.headers[name];
        if (v !== undefined) headers[name] = Array.isArray(v) ? v.join(', ') : v;
      }
      const url = `${ratingsService}/${id}`;
      const r = await ctx.network.fetch(ctx.pod, url, { method: 'GET', headers, timeoutMs, signal: ctx.signal });
      if (isTransportFailure(r)) {
        ctx.log(`[err] Error: unable to contact ${ratingsService} got exception ${exceptionText(r, url)}`);
        return [-1, -1];
      }
      if (r.status !== 200) {
        ctx.log(`Error: unable to contact ${ratingsService} got status of ${r.status}`);
        return [-1, -1];
      }
      const body = JSON.parse(r.body.toString('utf8'));
      const given = body && typeof body.ratings === 'object' && body.ratings ? body.ratings : {};
      return ['Reviewer1', 'Reviewer2'].map((name) => (Number.isInteger(given[name]) ? given[name] : -1));
    };

    const handler = (req: IncomingMessage, res: ServerResponse) => {
      void readBody(req).then(async () => {
        const path = (req.url ?? '/').split('?')[0];
        const m = /^\/reviews\/([+-]?\d{1,10})$/.exec(path);
        const known = path === '/health' || (m && Math.abs(Number(m[1])) <= 2 ** 31 - 1);
        if (!known) return void send(res, 404, {});
        if (req.method !== 'GET' && req.method !== 'HEAD') return void send(res, 405, {});
        if (path === '/health') return void send(res, 200, JSON_TYPE, '{"status": "Reviews is healthy"}');
        const id = String(Number(m![1]));
        try {
          const stars = ratingsEnabled ? await ratings(id, req) : [-1, -1];
          send(res, 200, JSON_TYPE, reviewsJson(id, podname, clustername, ratingsEnabled, color, stars));
        } catch (err) {
          // A ratings body that is not a JSON object: the JSON-P reader throws and Liberty answers 500.
          ctx.log(`[err] javax.json.stream.JsonParsingException: ${(err as Error).message}`);
          send(res, 500, { 'Content-Type': 'text/html;charset=ISO-8859-1' }, 'Error 500: javax.json.stream.JsonParsingException\n');
        }
      });
    };

    return {
      start() {
        const secs = (lo: number) => (lo + ctx.random() * 2).toFixed(3);
        ctx.log('[AUDIT   ] CWWKE0001I: The server defaultServer has been launched.');
        ctx.log(`[AUDIT   ] CWWKT0016I: Web application available (default_host): http://${podname}:9080/`);
        ctx.log(`[AUDIT   ] CWWKZ0001I: Application reviews-application-1.0 started in ${secs(1)} seconds.`);
        ctx.log(`[AUDIT   ] CWWKF0011I: The defaultServer server is ready to run a smarter planet. The defaultServer server started in ${secs(3)} seconds.`);
      },
      httpHandler: (p) => (p === 9080 ? handler : undefined),
    };
  },
};
