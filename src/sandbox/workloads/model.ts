// The workload-model seam: how an image's behaviour (HTTP, exec commands, logs, lifetime) plugs into the kubelet.
import type { RequestListener } from 'node:http';
import type { KubeObject } from '../types.js';
import type { Clock, Random } from '../runtime/determinism.js';
import type { ExecTool } from './tools/tool.js';
import type { PodNetwork } from '../mesh/types.js';

/** The fields of a pod's container spec the sandbox reads (the rest passes through untyped). */
export interface ContainerSpec {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: { containerPort: number; name?: string; protocol?: string }[];
  env?: any[];
  envFrom?: any[];
  [key: string]: any;
}

/** What the kubelet hands a model when it starts one container. */
export interface ContainerContext {
  /** The pod as it stood when the container started (status.podIP filled in). */
  pod: KubeObject;
  container: ContainerSpec;
  /** True for an init container (it must exit for the pod to start). */
  init: boolean;
  /** The resolved environment (spec env, downward API, service links). */
  env: Record<string, string>;
  clock: Clock;
  random: Random;
  /** Appends one line to the container's log, as the process writing to stdout would. */
  log(line: string): void;
  /** Aborted when the container is stopped. */
  signal: AbortSignal;
  /** Sends traffic from this pod (through its sidecar when it has one), for apps that call other services. */
  network: PodNetwork;
  /** The API server as this pod's service account reads it, for images that are Kubernetes clients (absent in bare model tests). */
  cluster?: ContainerCluster;
}

/** What a Kubernetes-client image (Prometheus discovery, Kiali, mounted ConfigMaps) reads, and how a model reports what it does not emulate. */
export interface ContainerCluster {
  /** Objects of `resource` (`pods`, `configmaps`, … for core/v1; `group/version/resource` otherwise) in `namespace`, or in all namespaces. */
  list(resource: string, namespace?: string): KubeObject[];
  /** One object, or undefined when absent. */
  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined;
  /** Records a Warning event on this pod (reporter: kubelet), e.g. for an aspect of the image the sandbox does not model. */
  warn(reason: string, message: string): void;
}

/** One running container as a model implements it; every member is optional. */
export interface ContainerWorkload {
  /** Called once when the container starts; a returned promise makes it a job that exits with the resolved code. */
  start?(): void | Promise<number>;
  /** Called when the container is stopped (pod deleted, sandbox shut down). */
  stop?(): void;
  /** The HTTP handler listening on `port` in the pod's network namespace, or undefined when nothing listens there. */
  httpHandler?(port: number): RequestListener | undefined;
  /** Programs this image has beyond the shared tools, by argv[0] basename; they take precedence. */
  commands?: Record<string, ExecTool>;
  /** Files this image has (absolute path → content) beyond the kubelet-managed ones, for `cat`. */
  files?: Record<string, string>;
}

/** The behaviour of one image, registered in `workloadModels` under its repository name. */
export interface WorkloadModel {
  /** Short name used in logs and events. */
  readonly name: string;
  /** Called by the kubelet for each container of this image it starts. */
  create(ctx: ContainerContext): ContainerWorkload;
}
