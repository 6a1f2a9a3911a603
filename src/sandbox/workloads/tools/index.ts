// Programs every emulated container has, by name (argv[0] basename). Adding one = a file + a line here.
import { catTool } from './cat.js';
import { echoTool } from './echo.js';
import { envTool } from './env.js';
import { falseTool } from './false.js';
import { hostnameTool } from './hostname.js';
import { shTool } from './sh.js';
import { sleepTool } from './sleep.js';
import { trueTool } from './true.js';
import type { ExecTool } from './tool.js';

export { programName, writeText, type ExecTool, type ToolContext } from './tool.js';

/** The shared program table; a workload model's own commands take precedence over these. */
export const sharedTools: Record<string, ExecTool> = {
  cat: catTool,
  echo: echoTool,
  env: envTool,
  false: falseTool,
  hostname: hostnameTool,
  sh: shTool,
  sleep: sleepTool,
  true: trueTool,
};
