// Raw HTTPS requests with an explicit Content-Length (Node sends a DELETE body with neither
// Content-Length nor chunked framing otherwise, so servers would not see DeleteOptions).
import { request as httpsRequest } from 'node:https';
import type * as k8s from '@kubernetes/client-node';
import type { RawResponse } from '../../helpers/raw-http.js';

/** Send one request with the kubeconfig's CA and bearer token. */
export function send(kc: k8s.KubeConfig, method: string, path: string, opts: { body?: string; contentType?: string } = {}): Promise<RawResponse> {
  const cluster = kc.getCurrentCluster()!;
  const user = kc.getCurrentUser()!;
  const headers: Record<string, string> = { Authorization: `Bearer ${user.token}`, Accept: 'application/json' };
  const payload = opts.body === undefined ? undefined : Buffer.from(opts.body);
  if (payload) {
    headers['Content-Type'] = opts.contentType ?? 'application/json';
    headers['Content-Length'] = String(payload.length);
  }
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${cluster.server}${path}`, { method, ca: Buffer.from(cluster.caData!, 'base64'), headers, timeout: 60_000, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}
