// Stable short hashes of pod templates, encoded like the real controllers (pod-template-hash, controller-revision-hash).
import { canonical } from '../api/registry.js';

const alphanums = 'bcdfghjklmnpqrstvwxz2456789';

/** 32-bit FNV-1a over a string's UTF-16 code units. */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Map each character onto a vowel-free alphabet (k8s.io/apimachinery rand.SafeEncodeString). */
export function safeEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += alphanums[s.charCodeAt(i) % alphanums.length];
  return out;
}

/** 10-character hash of a pod template (and collision count), e.g. `7c5ddbdf54`. */
export function templateHash(template: unknown, collisionCount = 0): string {
  const text = JSON.stringify(canonical(template)) + (collisionCount ? `#${collisionCount}` : '');
  return safeEncode(String(fnv32a(text)).padStart(10, '0'));
}
