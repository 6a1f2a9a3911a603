// Small HTTP helpers for the API server: JSON responses, Status errors, request bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import yaml from 'js-yaml';
import { ApiError, badRequest } from '../status.js';

/** Largest request body the API accepts (the real server's limit is 3 MiB). */
export const maxBodyBytes = 3 * 1024 * 1024;

/** Write a JSON response, adding any Warning headers. */
export function sendJson(res: ServerResponse, status: number, body: unknown, warnings: string[] = []): void {
  const data = JSON.stringify(body);
  const headers: Record<string, string | string[]> = { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' };
  if (warnings.length) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(status, headers);
  res.end(data);
}

/** Write an error as a Kubernetes Status. Unknown errors become 500 InternalError. */
export function sendError(res: ServerResponse, err: unknown): void {
  const apiErr = err instanceof ApiError ? err : new ApiError(500, 'InternalError', `Internal error occurred: ${(err as Error)?.message ?? String(err)}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const headers: Record<string, string> = {};
  if (apiErr.details?.retryAfterSeconds) headers['Retry-After'] = String(apiErr.details.retryAfterSeconds);
  res.writeHead(apiErr.code, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(apiErr.toStatus()));
}

/** Read the body (bounded), returning the raw text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > drainLimitBytes) {
    req.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > drainLimitBytes) {
      req.destroy();
      throw tooLarge();
    }
    if (size <= maxBodyBytes) chunks.push(chunk as Buffer);
  }
  // Bodies over the limit are read to the end (up to drainLimitBytes) and discarded, so the
  // client receives the 413 instead of a connection reset in the middle of its upload.
  if (size > maxBodyBytes) throw tooLarge();
  return Buffer.concat(chunks).toString('utf8');
}

/** Past this many bytes the connection is cut instead of drained. */
const drainLimitBytes = 4 * maxBodyBytes;

function tooLarge(): ApiError {
  return new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${maxBodyBytes}`);
}

/** Parse a request body as JSON, or YAML for apply patches; 400 on malformed input. */
export function parseBody(text: string, contentType: string | undefined): unknown {
  if (!text.trim()) return undefined;
  const ct = (contentType ?? '').split(';')[0].trim();
  if (ct.includes('protobuf')) throw new ApiError(415, 'UnsupportedMediaType', `the sandbox does not accept ${ct} bodies; send application/json`);
  try {
    if (ct.endsWith('yaml')) return yaml.load(text, { schema: yaml.JSON_SCHEMA });
    return JSON.parse(text);
  } catch (err) {
    const what = ct.endsWith('yaml') ? 'YAML' : 'JSON';
    throw badRequest(`error decoding ${what} body: ${(err as Error).message.split('\n')[0]}`);
  }
}
