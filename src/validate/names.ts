// Object name rules: most kinds take a DNS-1123 subdomain, some a DNS-1123 or DNS-1035 label,
// RBAC kinds any path segment. Messages suggest a valid spelling.
import type { KubernetesKind } from './kubernetes-kinds.js';

/** A Kubernetes name validation rule. */
export type NameRule = 'dns1123Subdomain' | 'dns1123Label' | 'dns1035Label' | 'pathSegment';

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';

/** What each rule accepts, in words, and the test itself. */
const NAME_RULES: Record<NameRule, { describe: string; accepts(name: string): boolean }> = {
  dns1123Subdomain: {
    describe: 'a DNS-1123 subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters',
    accepts: (name) => name.length <= 253 && new RegExp(`^${LABEL}(\\.${LABEL})*$`).test(name),
  },
  dns1123Label: {
    describe: 'a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
    accepts: (name) => name.length <= 63 && new RegExp(`^${LABEL}$`).test(name),
  },
  dns1035Label: {
    describe: 'a DNS-1035 label: lowercase letters, digits and "-", starting with a letter and ending with a letter or digit, at most 63 characters',
    accepts: (name) => name.length <= 63 && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name),
  },
  pathSegment: {
    describe: 'a path segment: not "." or "..", and without "/" or "%"',
    accepts: (name) => name !== '.' && name !== '..' && !/[/%]/.test(name),
  },
};

/** Kinds whose names follow a rule other than the DNS-1123 subdomain. */
const KIND_NAME_RULES: Partial<Record<KubernetesKind, NameRule>> = {
  Namespace: 'dns1123Label',
  Service: 'dns1035Label',
  ClusterRole: 'pathSegment',
  ClusterRoleBinding: 'pathSegment',
  Role: 'pathSegment',
  RoleBinding: 'pathSegment',
};

/** The rule a kind's metadata.name follows. */
export function selectNameRule(kind: string): NameRule {
  return KIND_NAME_RULES[kind as KubernetesKind] ?? 'dns1123Subdomain';
}

/** Proposes a valid spelling of a name (lowercased, other characters turned into "-"). */
function suggestName(name: string, rule: NameRule): string | undefined {
  const dots = rule === 'dns1123Subdomain';
  let fixed = name.toLowerCase().replace(dots ? /[^a-z0-9.-]+/g : /[^a-z0-9-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  if (rule === 'dns1035Label') fixed = fixed.replace(/^[^a-z]+/, '');
  fixed = fixed.slice(0, rule === 'dns1123Subdomain' ? 253 : 63).replace(/[^a-z0-9]+$/, '');
  return fixed !== '' && fixed !== name && NAME_RULES[rule].accepts(fixed) ? fixed : undefined;
}

/** Checks a name against a rule; returns the message for a person, or undefined when valid. */
export function checkName(name: string, rule: NameRule, what = 'name'): string | undefined {
  if (NAME_RULES[rule].accepts(name)) return undefined;
  const suggestion = suggestName(name, rule);
  return `${what} "${name}" is not valid: it must be ${NAME_RULES[rule].describe}${suggestion ? ` (try "${suggestion}")` : ''}`;
}
