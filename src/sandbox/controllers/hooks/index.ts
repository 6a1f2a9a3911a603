// Per-kind API behaviour the controllers plug into the Registry: defaulting, validation, graceful deletion.
import type { KindHooks } from '../../api/registry.js';
import type { Controller, ControllerContext } from '../controller.js';
import { configMapHooks, secretHooks } from './config-hooks.js';
import { namespaceHooks } from './namespace-hooks.js';
import { podHooks } from './pod-hooks.js';
import { serviceHooks } from './service-hooks.js';
import { workloadHooks } from './workload-hooks.js';

/** Registers the built-in kinds' defaulting and validation hooks; runs first so bootstrap objects get them. */
export class ApiDefaultsController implements Controller {
  readonly name = 'api-defaults';

  start(ctx: ControllerContext): void {
    const { registry, random } = ctx;
    const hooks: Record<string, KindHooks> = {
      '/namespaces': namespaceHooks(),
      '/pods': podHooks(random),
      '/services': serviceHooks(registry.store, random),
      '/configmaps': configMapHooks(),
      '/secrets': secretHooks(),
      ...workloadHooks(),
    };
    for (const [key, h] of Object.entries(hooks)) registry.registerHooks(key, h);
  }

  stop(): void {}
}
