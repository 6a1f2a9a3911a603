// Shared test helpers for validate: fixture paths.
import { fileURLToPath } from 'node:url';

/** Absolute path of test/fixtures/validate/<parts>. */
export function fixturePath(...parts: string[]): string {
  return fileURLToPath(new URL(['../fixtures/validate', ...parts].join('/'), import.meta.url));
}

/** The fixture repo (labs/ and manifests/). */
export const REPO = fixturePath('repo');
