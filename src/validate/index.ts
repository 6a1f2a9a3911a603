// Offline validation of labs and manifests: YAML and lab schema, apiVersion/kind against the
// kinds of Kubernetes, the Gateway API and Istio, names, Istio CRD schemas, and legacy APIs
// with their modern replacements. The CLI's `validate` command is a thin layer over this.
export { validatePaths } from './validate-paths.js';
export type { ValidateOptions, ValidationReport } from './validate-paths.js';
export { formatReportText, formatReportJson, formatSummary } from './format.js';
export { checkObject } from './check-object.js';
export { checkApiVersion } from './api-version.js';
export { createKindRegistry, registerCustomResource, KindRegistry } from './kind-registry.js';
export type { KindFamily, KnownKind } from './kind-registry.js';
export { KUBERNETES_KINDS, GATEWAY_API_KINDS } from './kubernetes-kinds.js';
export type { KubernetesKind, GatewayApiKind } from './kubernetes-kinds.js';
export { ISTIO_KINDS } from './istio-kinds.js';
export type { IstioKind } from './istio-kinds.js';
export { LEGACY_ISTIO_APIS, LEGACY_KUBERNETES_APIS, findLegacyApi } from './legacy-apis.js';
export { checkLegacyFields } from './legacy-fields.js';
export { checkName, selectNameRule } from './names.js';
export type { NameRule } from './names.js';
export type { ObjectProblem } from './problem.js';
