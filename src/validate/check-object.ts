// All checks for one Kubernetes object: shape, apiVersion/kind, names, and for Istio kinds the
// CRD schema and legacy fields. Paths in the problems are relative to the object.
import { checkKubeObject } from '../lab/index.js';
import { checkApiVersion } from './api-version.js';
import type { IstioKind } from './istio-kinds.js';
import { validateIstioSchema } from './istio-schema.js';
import type { KindRegistry } from './kind-registry.js';
import { checkLegacyFields } from './legacy-fields.js';
import { checkName, selectNameRule } from './names.js';
import { createError } from './problem.js';
import type { ObjectProblem } from './problem.js';

/** Checks metadata.name (by the kind's rule) and metadata.namespace (a DNS-1123 label). */
function checkMetadata(object: Record<string, any>): ObjectProblem[] {
  const problems: ObjectProblem[] = [];
  const nameProblem = checkName(object.metadata.name, selectNameRule(object.kind));
  if (nameProblem) problems.push(createError(['metadata', 'name'], nameProblem));
  const namespace = object.metadata.namespace;
  if (namespace !== undefined) {
    const namespaceProblem = typeof namespace === 'string' ? checkName(namespace, 'dns1123Label', 'namespace') : 'namespace must be a string';
    if (namespaceProblem) problems.push(createError(['metadata', 'namespace'], namespaceProblem));
  }
  return problems;
}

/** Checks one object; the registry says which kinds exist. */
export async function checkObject(value: unknown, registry: KindRegistry): Promise<ObjectProblem[]> {
  const shape = checkKubeObject(value);
  if (shape.length > 0) return shape.map((p) => createError(p.path, p.message));
  const object = value as Record<string, any>;
  const api = checkApiVersion(object.apiVersion, object.kind, registry);
  const problems = [...api.problems, ...checkMetadata(object)];
  if (api.known?.family === 'istio') {
    const kind = api.known.kind as IstioKind;
    problems.push(...(await validateIstioSchema(object, kind, api.version)), ...checkLegacyFields(object, kind));
  }
  return problems;
}
