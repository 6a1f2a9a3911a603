// Checks an object's apiVersion and kind against the kinds istio-lab knows: removed (legacy)
// APIs with their replacement, unserved versions, unknown kinds with near-miss suggestions,
// and alpha versions where a stable one exists.
import { findClosest, formatSuggestion } from '../lab/suggest.js';
import { findLegacyApi } from './legacy-apis.js';
import { joinApiVersion, splitApiVersion } from './kind-registry.js';
import type { KindRegistry, KnownKind } from './kind-registry.js';
import { createError, createWarning } from './problem.js';
import type { ObjectProblem } from './problem.js';

/** Outcome: the known kind and version (when usable for further checks) and the problems. */
export interface ApiVersionResult {
  known?: KnownKind;
  version: string;
  problems: ObjectProblem[];
}

const DNS_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const API_VERSION = new RegExp(`^(${DNS_LABEL}(\\.${DNS_LABEL})*/)?${DNS_LABEL}$`);
const KIND = /^[A-Za-z][A-Za-z0-9]*$/;

/** Lists a kind's apiVersions for a message: "networking.istio.io/v1 (also v1beta1, v1alpha3)". */
function describeVersions(known: KnownKind): string {
  const [preferred, ...others] = known.versions;
  return `${joinApiVersion(known.group, preferred)}${others.length > 0 ? ` (also ${others.join(', ')})` : ''}`;
}

/** Reports whether an Istio kind's version is alpha while v1 is served (networking v1alpha3, telemetry v1alpha1). */
function isSupersededAlpha(known: KnownKind, version: string): boolean {
  return known.family === 'istio' && /alpha/.test(version) && known.versions.includes('v1');
}

/** Checks a known group's kind that is not served at this version. */
function checkUnservedVersion(known: KnownKind, apiVersion: string): ObjectProblem {
  return createError(['apiVersion'], `${known.kind} is not served at ${apiVersion}; use ${describeVersions(known)}`);
}

/** Checks a kind that the object's group does not have. */
function checkUnknownKind(registry: KindRegistry, group: string, kind: string, apiVersion: string): ObjectProblem[] {
  const elsewhere = registry.findEverywhere(kind).filter((k) => k.family !== 'custom' || k.group === group);
  const groupKnown = registry.listKinds(group).length > 0;
  if (elsewhere.length > 0 && (groupKnown || group === '')) {
    const where = group === '' ? `the core API (${apiVersion})` : apiVersion;
    return [createError(['apiVersion'], `${kind} is not in ${where}; use ${elsewhere.map(describeVersions).join(' or ')}`)];
  }
  if (groupKnown) {
    const near = findClosest(kind, registry.listKinds(group).map((k) => k.kind));
    return [createError(['kind'], `unknown kind "${kind}" in ${group === '' ? 'the core API (v1)' : group}${formatSuggestion(near)}`)];
  }
  const nearGroups = findClosest(group, registry.listGroups().filter((g) => g !== ''));
  if (nearGroups.length > 0) return [createError(['apiVersion'], `unknown API group "${group}"${formatSuggestion(nearGroups)}`)];
  if (elsewhere.length > 0) {
    return [createWarning(['apiVersion'], `${kind} is usually ${elsewhere.map(describeVersions).join(' or ')}; "${group}" is an API group istio-lab does not know, so the object was not checked further`)];
  }
  return [createWarning(['apiVersion'], `unknown API group "${group}": istio-lab cannot check ${kind}; include its CustomResourceDefinition among the checked manifests if the lab installs it`)];
}

/** Checks apiVersion and kind; `known` is set when the object can be checked further. */
export function checkApiVersion(apiVersion: string, kind: string, registry: KindRegistry): ApiVersionResult {
  const { group, version } = splitApiVersion(apiVersion);
  if (!API_VERSION.test(apiVersion)) {
    return { version, problems: [createError(['apiVersion'], `apiVersion "${apiVersion}" must be "<version>" (core, e.g. v1) or "<group>/<version>" (e.g. apps/v1)`)] };
  }
  if (!KIND.test(kind)) return { version, problems: [createError(['kind'], `kind "${kind}" must be a single word such as Deployment or VirtualService`)] };
  const legacy = findLegacyApi(group, version, kind);
  if (legacy) return { version, problems: [createError([legacy.field], legacy.describe(apiVersion, kind))] };
  const known = registry.find(group, kind);
  if (!known) return { version, problems: checkUnknownKind(registry, group, kind, apiVersion) };
  if (!known.versions.includes(version)) return { version, problems: [checkUnservedVersion(known, apiVersion)] };
  const problems = isSupersededAlpha(known, version)
    ? [createWarning(['apiVersion'], `${apiVersion} is still served, but ${joinApiVersion(group, 'v1')} is preferred (Istio 1.22+)`)]
    : [];
  return { known, version, problems };
}
