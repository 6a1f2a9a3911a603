// Programs every emulated container has, by name (argv[0] basename). Adding one = a file + a line here.
// Real images differ (only curl images have curl, only fortio's has fortio); the sandbox gives every
// container the same table so a lab's `kubectl exec … -- curl …` works from any pod.
import { catTool } from './cat.js';
import { curlTool } from './curl.js';
import { cutTool } from './cut.js';
import { echoTool } from './echo.js';
import { envTool } from './env.js';
import { falseTool } from './false.js';
import { fortioTool } from './fortio.js';
import { grepTool } from './grep.js';
import { headTool } from './head.js';
import { hostnameTool } from './hostname.js';
import { printfTool } from './printf.js';
import { seqTool } from './seq.js';
import { shTool } from './sh.js';
import { sleepTool } from './sleep.js';
import { sortTool } from './sort.js';
import { tailTool } from './tail.js';
import { testTool } from './test.js';
import { trTool } from './tr.js';
import { trueTool } from './true.js';
import { uniqTool } from './uniq.js';
import { wcTool } from './wc.js';
import { wgetTool } from './wget.js';
import type { ExecTool } from './tool.js';

export { programName, writeText, type ExecTool, type ToolContext } from './tool.js';

/** The shared program table; a workload model's own commands take precedence over these. */
export const sharedTools: Record<string, ExecTool> = {
  '[': testTool,
  cat: catTool,
  curl: curlTool,
  cut: cutTool,
  echo: echoTool,
  egrep: grepTool,
  env: envTool,
  false: falseTool,
  fgrep: grepTool,
  fortio: fortioTool,
  grep: grepTool,
  head: headTool,
  hostname: hostnameTool,
  printf: printfTool,
  seq: seqTool,
  sh: shTool,
  sleep: sleepTool,
  sort: sortTool,
  tail: tailTool,
  test: testTool,
  tr: trTool,
  true: trueTool,
  uniq: uniqTool,
  wc: wcTool,
  wget: wgetTool,
};
