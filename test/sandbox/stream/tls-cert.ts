// Test helper: a self-signed serving certificate for 127.0.0.1/localhost, made with the openssl
// CLI (@peculiar/x509 cannot be imported without a Reflect metadata polyfill).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** PEM certificate (its own CA) and private key. */
export interface ServingCert {
  cert: string;
  key: string;
}

/** Creates a P-256 certificate valid for a day, usable as both CA and server certificate. */
export async function createServingCert(): Promise<ServingCert> {
  const dir = await mkdtemp(join(tmpdir(), 'stream-cert-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    await promisify(execFile)('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=istio-lab-sandbox-test',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,digitalSignature,keyCertSign',
    ]);
    return { cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
