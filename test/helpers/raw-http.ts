// Raw HTTPS requests to a sandbox (for status codes and headers client libraries hide).
import { request } from 'node:https';
import * as k8s from '@kubernetes/client-node';

/** A raw response. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json(): any;
}

/** Send a request with the kubeconfig's CA and (unless `noAuth`) its token. */
export function rawRequest(kc: k8s.KubeConfig, method: string, path: string, opts: { body?: string | Buffer; contentType?: string; accept?: string; noAuth?: boolean; token?: string } = {}): Promise<RawResponse> {
  const cluster = kc.getCurrentCluster()!;
  const user = kc.getCurrentUser()!;
  const ca = Buffer.from(cluster.caData!, 'base64');
  const headers: Record<string, string> = {};
  if (!opts.noAuth) headers.Authorization = `Bearer ${opts.token ?? user.token}`;
  if (opts.contentType) headers['Content-Type'] = opts.contentType;
  if (opts.accept) headers.Accept = opts.accept;
  return new Promise((resolve, reject) => {
    const req = request(`${cluster.server}${path}`, { method, ca, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
      });
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}
