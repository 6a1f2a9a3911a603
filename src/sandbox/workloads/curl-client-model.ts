// Client images that run no server: curlimages/curl, istio/curl and the old governmentpaas/curl-ssl,
// tutum/curl and pstauffer/curl. The container runs its command (Istio's samples: `sleep infinity`);
// labs `kubectl exec` curl, wget and sh into it. Nothing listens on any port.
import { runContainerCommand } from './container-command.js';
import { commandLine } from './http-kit.js';
import { imageRepository } from './image-ref.js';
import type { ContainerContext, ContainerWorkload, WorkloadModel } from './model.js';

/** The command a client image runs when the pod spec gives none (curlimages/curl's CMD is `curl`, which exits 2). */
function defaultCommand(image: string): string[] {
  return imageRepository(image).endsWith('curlimages/curl') ? ['curl'] : ['sleep', 'infinity'];
}

/** curl client images. */
export const curlClientModel: WorkloadModel = {
  name: 'curl',
  create(ctx: ContainerContext): ContainerWorkload {
    const command = ctx.container.command?.length ? commandLine(ctx.container) : [...defaultCommand(ctx.container.image), ...(ctx.container.args ?? [])];
    return {
      start: () => runContainerCommand(ctx, command),
      httpHandler: () => undefined,
    };
  },
};
