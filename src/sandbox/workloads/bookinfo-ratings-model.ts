// istio/examples-bookinfo-ratings-v1 (samples/bookinfo/src/ratings/ratings.js: Node's http server with
// httpdispatcher, port 9080), §11.2. GET /ratings/<id> → {"id":<id>,"ratings":{"Reviewer1":5,"Reviewer2":4}};
// POST /ratings/<id> replaces them in memory for that id; GET /health. Logs `Server listening on: …` and
// one `METHOD url` line per request, as ratings.js does. SERVICE_VERSION=v2 (the MongoDB/MySQL-backed mode)
// has no database to reach in the sandbox and answers as ratings.js does when it cannot connect.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { commandLine, readBody } from './http-kit.js';
import type { ContainerContext, ContainerWorkload, WorkloadModel } from './model.js';

const JSON_TYPE = { 'Content-type': 'application/json' };

function reply(res: ServerResponse, status: number, body?: unknown): void {
  if (res.destroyed) return;
  if (body === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  res.writeHead(status, JSON_TYPE);
  res.end(JSON.stringify(body));
}

/** istio/examples-bookinfo-ratings-v1. */
export const ratingsModel: WorkloadModel = {
  name: 'bookinfo-ratings',
  create(ctx: ContainerContext): ContainerWorkload {
    // `node ratings.js 9080` unless the pod's command/args name another port last.
    const last = commandLine(ctx.container).at(-1) ?? '';
    const port = /^\d+$/.test(last) ? Number(last) : 9080;
    const userAddedRatings = new Map<number, { id: number; ratings: unknown }>();
    const database = ctx.env.SERVICE_VERSION === 'v2';
    const local = (id: number) => userAddedRatings.get(id) ?? { id, ratings: { Reviewer1: 5, Reviewer2: 4 } };

    const handler = (req: IncomingMessage, res: ServerResponse) => {
      ctx.log(`${req.method} ${req.url}`);
      void readBody(req).then((body) => {
        const path = new URL(req.url ?? '/', 'http://ratings').pathname;
        // httpdispatcher: the first listener whose method and path regex match, else an empty 404.
        if (/^\/ratings\/[0-9]*/.test(path) && (req.method === 'GET' || req.method === 'POST')) {
          const id = parseInt((req.url ?? '').split('/').pop() ?? '', 10);
          if (Number.isNaN(id)) return reply(res, 400, { error: 'please provide numeric product ID' });
          if (req.method === 'GET') return database ? reply(res, 500, { error: 'could not connect to ratings database' }) : reply(res, 200, local(id));
          let ratings: unknown;
          try {
            ratings = JSON.parse(body.toString('utf8'));
          } catch {
            return reply(res, 400, { error: 'please provide valid ratings JSON' });
          }
          if (database) return reply(res, 501, { error: 'Post not implemented for database backed ratings' });
          userAddedRatings.set(id, { id, ratings });
          return reply(res, 200, local(id));
        }
        if (path === '/health' && req.method === 'GET') return reply(res, 200, { status: 'Ratings is healthy' });
        reply(res, 404);
      });
    };

    return {
      start() {
        ctx.log(`Server listening on: http://0.0.0.0:${port}`);
        if (database) ctx.log('istio-lab sandbox: SERVICE_VERSION=v2 needs MongoDB or MySQL, which the sandbox does not run; GET /ratings answers 500');
      },
      httpHandler: (p) => (p === port ? handler : undefined),
    };
  },
};
