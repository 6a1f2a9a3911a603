// weaveworksdemos/catalogue-db (microservices-demo/catalogue docker/catalogue-db: MySQL 5.7 with
// socksdb loaded from dump.sql), listening on 3306. MySQL speaks its own protocol over TCP; the
// sandbox's pod network carries HTTP only, so catalogue-db is modelled as *reachable or not*: a
// statement travels as the body of one POST (content-type `application/x-socksdb-query`, a sandbox
// convention like redis-resp.ts) and the rows come back as JSON. A Warning event says so once per
// container. Anything else that reaches port 3306 (someone curling it) gets its connection closed, as
// a MySQL server does with a client that does not speak the protocol.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../types.js';
import type { PodNetwork } from '../mesh/types.js';
import { readBody } from './http-kit.js';
import type { ContainerContext, ContainerWorkload, WorkloadModel } from './model.js';
import { runSocksdbQuery, type SocksdbQuery } from './sockshop-catalogue-data.js';

const PORT = 3306;
/** The content type the sandbox uses for a socksdb statement over its HTTP-only pod network. */
export const socksdbContentType = 'application/x-socksdb-query';
const MYSQL_VERSION = '5.7.17';

/** Why a statement did not reach MySQL: the error text go-sql-driver hands catalogue, and its own stderr lines. */
export class SocksdbError extends Error {
  constructor(
    message: string,
    /** Lines the driver's logger prints (`[mysql] … packets.go:33: unexpected EOF`). */
    readonly driverLog: string[] = [],
  ) {
    super(message);
  }
}

/** Runs `query` against the MySQL at `hostPort` from `pod`; rejects with the error go-sql-driver would return. */
export async function querySocksdb(network: PodNetwork, pod: KubeObject, hostPort: string, query: SocksdbQuery, stamp: string, signal?: AbortSignal): Promise<unknown[]> {
  const r = await network.fetch(pod, `http://${hostPort}/`, { method: 'POST', headers: { 'content-type': socksdbContentType }, body: Buffer.from(JSON.stringify(query)), timeoutMs: 10_000, signal });
  const host = hostPort.split(':')[0];
  if ('failure' in r) {
    if (r.failure === 'dns') throw new SocksdbError(`dial tcp: lookup ${host} on 10.96.0.10:53: no such host`);
    if (r.failure === 'connect-refused') throw new SocksdbError(`dial tcp ${hostPort}: getsockopt: connection refused`);
    if (r.failure === 'timeout') throw new SocksdbError(`dial tcp ${hostPort}: i/o timeout`);
  }
  // Through a sidecar, a MySQL with no ready endpoint is a connection Envoy accepts and then closes:
  // the driver reads EOF where the handshake should be, and database/sql retries twice on ErrBadConn.
  if ('failure' in r || r.status !== 200 || !String(r.headers['content-type'] ?? '').startsWith('application/json')) {
    throw new SocksdbError('driver: bad connection', Array.from({ length: 3 }, () => `[mysql] ${stamp} packets.go:33: unexpected EOF`));
  }
  return JSON.parse(r.body.toString('utf8')) as unknown[];
}

/** MySQL's error-log timestamp: 2017-03-15T10:00:00.123456Z. */
const mysqlTime = (d: Date) => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/** weaveworksdemos/catalogue-db. */
export const catalogueDbModel: WorkloadModel = {
  name: 'sockshop-catalogue-db',
  create(ctx: ContainerContext): ContainerWorkload {
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      void readBody(req).then((body) => {
        let rows: unknown[] | undefined;
        if (req.method === 'POST' && String(req.headers['content-type'] ?? '').startsWith(socksdbContentType)) {
          try {
            rows = runSocksdbQuery(JSON.parse(body.toString('utf8')) as SocksdbQuery);
          } catch {
            rows = undefined;
          }
        }
        if (!rows) {
          ctx.log(`${mysqlTime(ctx.clock.now())} 0 [Note] Aborted connection 0 to db: 'unconnected' user: 'unauthenticated' host: '${(req.socket?.remoteAddress ?? '').replace(/^::ffff:/, '')}' (Got packets out of order)`);
          res.socket?.destroy();
          return;
        }
        const text = JSON.stringify(rows);
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
        res.end(text);
      });
    };
    return {
      start() {
        ctx.cluster?.warn(
          'EmulatedMySQL',
          `istio-lab sandbox: ${ctx.container.image} is modelled as socksdb (dump.sql's socks and tags) that is reachable or not on port ${PORT}; the MySQL protocol is not emulated (the sandbox's pod network carries HTTP only), so only weaveworksdemos/catalogue can query it and a mysql client cannot connect`,
        );
        const t = mysqlTime(ctx.clock.now());
        const database = ctx.env.MYSQL_DATABASE ?? 'socksdb';
        ctx.log('Initializing database');
        ctx.log(`Database initialized`);
        ctx.log(`Creating database ${database}`);
        ctx.log('/usr/local/bin/docker-entrypoint.sh: running /docker-entrypoint-initdb.d/dump.sql');
        ctx.log('MySQL init process done. Ready for start up.');
        ctx.log(`${t} 0 [Note] mysqld (mysqld ${MYSQL_VERSION}) starting as process 1 ...`);
        ctx.log(`${t} 0 [Note] mysqld: ready for connections.`);
        ctx.log(`Version: '${MYSQL_VERSION}'  socket: '/var/run/mysqld/mysqld.sock'  port: ${PORT}  MySQL Community Server (GPL)`);
      },
      httpHandler: (p) => (p === PORT ? handler : undefined),
    };
  },
};
