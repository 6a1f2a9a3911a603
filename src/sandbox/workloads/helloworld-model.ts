// istio/examples-helloworld-v1 / -v2 (samples/helloworld, Flask under gunicorn on port 5000): GET /hello
// answers `Hello version: <SERVICE_VERSION>, instance: <HOSTNAME>`; the version comes from the image
// (the Dockerfile's build arg) unless the pod sets SERVICE_VERSION. One access line per request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { commandLine, gunicornBindPort, readBody, send } from './http-kit.js';
import { gunicornAccessLine, gunicornStartup } from './httpbin-model.js';
import { imageRepository } from './image-ref.js';
import type { ContainerContext, ContainerWorkload, WorkloadModel } from './model.js';

const HTML = { 'Content-Type': 'text/html; charset=utf-8', Server: 'gunicorn' };

/** Flask's error page. */
function flaskError(status: 404 | 405): string {
  const [title, text] = status === 404 ? ['Not Found', 'The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.'] : ['Method Not Allowed', 'The method is not allowed for the requested URL.'];
  return `<!doctype html>\n<html lang=en>\n<title>${status} ${title}</title>\n<h1>${title}</h1>\n<p>${text}</p>\n`;
}

/** istio/examples-helloworld-v1 and -v2. */
export const helloworldModel: WorkloadModel = {
  name: 'helloworld',
  create(ctx: ContainerContext): ContainerWorkload {
    const port = gunicornBindPort(commandLine(ctx.container)) ?? 5000;
    const fromImage = /helloworld-(v\d+)/.exec(imageRepository(ctx.container.image))?.[1] ?? 'v1';
    const version = ctx.env.SERVICE_VERSION ?? fromImage;
    const instance = ctx.env.HOSTNAME ?? ctx.pod.metadata.name ?? '';
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      void readBody(req).then(() => {
        const path = (req.url ?? '/').split('?')[0];
        const readable = req.method === 'GET' || req.method === 'HEAD';
        let status: number;
        let size: number;
        if (path === '/hello' || path === '/health') {
          const body = path === '/hello' ? `Hello version: ${version}, instance: ${instance}\n` : 'Helloworld is healthy';
          status = readable ? 200 : req.method === 'OPTIONS' ? 200 : 405;
          size = send(res, status, status === 405 ? { ...HTML, Allow: 'GET, HEAD, OPTIONS' } : HTML, status === 405 ? flaskError(405) : req.method === 'OPTIONS' ? '' : body);
        } else {
          status = 404;
          size = send(res, 404, HTML, flaskError(404));
        }
        ctx.log(gunicornAccessLine(req, status, size, ctx.clock.now()));
      });
    };
    return {
      start: () => {
        for (const line of gunicornStartup(ctx.clock.now(), `http://[::]:${port}`, '22.0.0')) ctx.log(line);
      },
      httpHandler: (p) => (p === port ? handler : undefined),
    };
  },
};
