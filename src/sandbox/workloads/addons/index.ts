// Models of Istio's telemetry addons (samples/addons): Prometheus and its config reloader, Grafana,
// Jaeger and Kiali, keyed by image repository; spread into `workloadModels`.
import type { WorkloadModel } from '../model.js';
import { configReloaderModel } from '../prometheus/config-reloader-model.js';
import { prometheusModel } from '../prometheus/model.js';
import { grafanaModel } from './grafana-model.js';
import { jaegerModel } from './jaeger-model.js';
import { kialiModel } from './kiali-model.js';

/** Addon models by image repository. */
export const addonModels: Record<string, WorkloadModel> = {
  'prom/prometheus': prometheusModel,
  'prometheus-operator/prometheus-config-reloader': configReloaderModel,
  'jimmidyson/configmap-reload': configReloaderModel,
  'grafana/grafana': grafanaModel,
  'jaegertracing/jaeger': jaegerModel,
  'jaegertracing/all-in-one': jaegerModel,
  'kiali/kiali': kialiModel,
};
