// The credentials a kubeconfig holds, for redaction (src/report/redact.ts): every user's token,
// password, client key (inline or from its file) and auth-provider tokens, whether or not the
// current context uses that user.
import { readFileSync } from 'node:fs';

/** The parts of a kubeconfig user (client-node's User) that can hold a credential. */
export interface KubeconfigUser {
  token?: string;
  password?: string;
  keyData?: string;
  keyFile?: string;
  authProvider?: { config?: Record<string, unknown> };
}

const PROVIDER_SECRETS = ['access-token', 'id-token', 'refresh-token', 'client-secret'];

/** Lists the credential values of the users (client keys both base64 and decoded). */
export function listKubeconfigSecrets(users: readonly KubeconfigUser[]): string[] {
  const found: (string | undefined)[] = [];
  for (const user of users) {
    found.push(user.token, user.password);
    if (user.keyData) found.push(user.keyData, Buffer.from(user.keyData, 'base64').toString('utf8'));
    if (user.keyFile) {
      try {
        found.push(readFileSync(user.keyFile, 'utf8'));
      } catch {
        // an unreadable key file fails later, with client-node's own message
      }
    }
    const config = user.authProvider?.config ?? {};
    for (const key of PROVIDER_SECRETS) if (typeof config[key] === 'string') found.push(config[key]);
  }
  return found.filter((v): v is string => typeof v === 'string' && v !== '');
}
