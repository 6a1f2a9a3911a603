// Workload models: what runs inside emulated containers, keyed by image repository. A model turns a
// container into HTTP handlers, exec commands, log lines and a lifetime; images without a model run the
// generic echo server. Adding a model = one file + one line in `workloadModels`.
import { curlClientModel } from './curl-client-model.js';
import { echoModel } from './echo-model.js';
import { fortioModel } from './fortio-model.js';
import { helloworldModel } from './helloworld-model.js';
import { goHttpbinModel, pythonHttpbinModel } from './httpbin-model.js';
import { imageRepository } from './image-ref.js';
import { istioProxyModel } from './istio-proxy-model.js';
import type { WorkloadModel } from './model.js';

export type { ContainerContext, ContainerSpec, ContainerWorkload, WorkloadModel } from './model.js';
export { imageRepository, normalizeImage, parseImageRef } from './image-ref.js';
export { sharedTools, programName, writeText, type ExecTool, type ToolContext } from './tools/index.js';

/** Models by image repository (registry host, `library/`, tag and digest stripped). */
export const workloadModels: Record<string, WorkloadModel> = {
  'istio/proxyv2': istioProxyModel,
  'istio-release/proxyv2': istioProxyModel,
  'mccutchen/go-httpbin': goHttpbinModel,
  'kennethreitz/httpbin': pythonHttpbinModel,
  'kong/httpbin': pythonHttpbinModel,
  'istio/examples-helloworld-v1': helloworldModel,
  'istio/examples-helloworld-v2': helloworldModel,
  'fortio/fortio': fortioModel,
  'curlimages/curl': curlClientModel,
  'istio/curl': curlClientModel,
  'governmentpaas/curl-ssl': curlClientModel,
  'tutum/curl': curlClientModel,
  'pstauffer/curl': curlClientModel,
};

/** The model for images nothing else claims. */
export const defaultWorkloadModel: WorkloadModel = echoModel;

/** The model for `image` and whether it was modelled (false = the default stand-in runs instead). */
export function resolveWorkloadModel(image: string, models: Record<string, WorkloadModel> = workloadModels): { model: WorkloadModel; modelled: boolean } {
  // Try the whole repository path, then shorter suffixes (mirrors: `mirror.example/istio/proxyv2`).
  const segments = imageRepository(image).split('/');
  for (let i = 0; i < segments.length; i++) {
    const model = models[segments.slice(i).join('/')];
    if (model) return { model, modelled: true };
  }
  return { model: defaultWorkloadModel, modelled: false };
}
