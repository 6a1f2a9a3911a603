// runtime.json: how other processes find a running sandbox (pid, port, URL, start time).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Contents of runtime.json for a running sandbox. */
export interface SandboxRuntimeInfo {
  pid: number;
  port: number;
  url: string;
  startedAt: string;
}

/** Read runtime.json of the sandbox under `home`, if any. */
export function readRuntimeInfo(home: string): SandboxRuntimeInfo | undefined {
  const p = join(home, 'sandbox', 'runtime.json');
  if (!existsSync(p)) return undefined;
  try {
    return JSON.parse(readFileSync(p, 'utf8')) as SandboxRuntimeInfo;
  } catch {
    return undefined;
  }
}
