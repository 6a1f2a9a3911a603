// `hostname`: the pod's hostname (spec.hostname or the pod name); `-i` prints the pod IP.
import { writeText, type ExecTool } from './tool.js';

/** Prints the container's hostname, or its address with `-i`. */
export const hostnameTool: ExecTool = async (argv, streams, ctx) => {
  const podIP: string = ctx.pod.status?.podIP ?? '';
  if (argv[1] === '-i') {
    await writeText(streams.stdout, `${podIP}\n`);
    return 0;
  }
  await writeText(streams.stdout, `${ctx.env.HOSTNAME ?? ctx.pod.metadata.name}\n`);
  return 0;
};
