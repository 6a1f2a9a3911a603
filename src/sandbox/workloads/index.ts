// Workload models: what runs inside emulated containers, keyed by image repository. A model turns a
// container into HTTP handlers, exec commands, log lines and a lifetime; images without a model run the
// generic echo server. Adding a model = one file + one line in `workloadModels`.
import { detailsModel } from './bookinfo-details-model.js';
import { productpageModel } from './bookinfo-productpage-model.js';
import { ratingsModel } from './bookinfo-ratings-model.js';
import { reviewsModel } from './bookinfo-reviews-model.js';
import { addonModels } from './addons/index.js';
import { curlClientModel } from './curl-client-model.js';
import { echoModel } from './echo-model.js';
import { fortioModel } from './fortio-model.js';
import { helloworldModel } from './helloworld-model.js';
import { goHttpbinModel, pythonHttpbinModel } from './httpbin-model.js';
import { imageRepository } from './image-ref.js';
import { istioProxyModel } from './istio-proxy-model.js';
import { pythonModel } from './python-model.js';
import { ratelimitModel } from './ratelimit-model.js';
import { redisModel } from './redis-model.js';
import { catalogueModel } from './sockshop-catalogue.js';
import { catalogueDbModel } from './sockshop-catalogue-db.js';
import { frontEndModel } from './sockshop-front-end.js';
import type { WorkloadModel } from './model.js';

export type { ContainerContext, ContainerSpec, ContainerWorkload, WorkloadModel } from './model.js';
export { imageRepository, normalizeImage, parseImageRef } from './image-ref.js';
export { sharedTools, programName, writeText, type ExecTool, type ToolContext } from './tools/index.js';

/** Models by image repository (registry host, `library/`, tag and digest stripped). */
export const workloadModels: Record<string, WorkloadModel> = {
  ...addonModels,
  'istio/proxyv2': istioProxyModel,
  'istio-release/proxyv2': istioProxyModel,
  'mccutchen/go-httpbin': goHttpbinModel,
  'kennethreitz/httpbin': pythonHttpbinModel,
  'kong/httpbin': pythonHttpbinModel,
  'istio/examples-helloworld-v1': helloworldModel,
  'istio/examples-helloworld-v2': helloworldModel,
  'examples-bookinfo-productpage-v1': productpageModel,
  'examples-bookinfo-details-v1': detailsModel,
  'examples-bookinfo-ratings-v1': ratingsModel,
  'examples-bookinfo-reviews-v1': reviewsModel,
  'examples-bookinfo-reviews-v2': reviewsModel,
  'examples-bookinfo-reviews-v3': reviewsModel,
  'fortio/fortio': fortioModel,
  'curlimages/curl': curlClientModel,
  'istio/curl': curlClientModel,
  'governmentpaas/curl-ssl': curlClientModel,
  'tutum/curl': curlClientModel,
  'pstauffer/curl': curlClientModel,
  python: pythonModel,
  'envoyproxy/ratelimit': ratelimitModel,
  redis: redisModel,
  'weaveworksdemos/front-end': frontEndModel,
  'weaveworksdemos/catalogue': catalogueModel,
  'weaveworksdemos/catalogue-db': catalogueDbModel,
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
