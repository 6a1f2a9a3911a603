// Query parameters of pods/exec, pods/attach and pods/portforward, decoded the way
// kube-apiserver converts them into PodExecOptions / PodAttachOptions / PodPortForwardOptions.

/** What an exec or attach request asks for (attach has an empty command). */
export interface ExecParams {
  command: string[];
  container: string;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/**
 * A boolean query parameter: absent, "0" or "false" (any case) is false, anything else — "true",
 * "1", even "" — is true (apimachinery's Convert_Slice_string_To_bool).
 */
export function readBooleanParam(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  if (value === null) return false;
  return value !== '0' && value.toLowerCase() !== 'false';
}

/** Reads repeated `command` params plus container and stream flags; tty drops stderr as the kubelet does. */
export function parseExecQuery(url: URL): ExecParams {
  const query = url.searchParams;
  const tty = readBooleanParam(query, 'tty');
  return {
    command: query.getAll('command'),
    container: query.get('container') ?? '',
    stdin: readBooleanParam(query, 'stdin'),
    stdout: readBooleanParam(query, 'stdout'),
    stderr: readBooleanParam(query, 'stderr') && !tty,
    tty,
  };
}

/** Reads an attach request: the exec parameters without a command. */
export function parseAttachQuery(url: URL): ExecParams {
  return { ...parseExecQuery(url), command: [] };
}

/** Why the kubelet would refuse these parameters before upgrading, or undefined when they are fine. */
export function validateExecParams(params: ExecParams, requireCommand: boolean): string | undefined {
  if (!params.stdin && !params.stdout && !params.stderr) return 'you must specify at least 1 of stdin, stdout, stderr';
  if (requireCommand && params.command.length === 0) return 'you must specify at least one command for the container';
  return undefined;
}

/**
 * Reads `ports` (repeated and/or comma-separated, as Convert_Slice_string_To_Slice_int32 does);
 * throws a RangeError with the server's message for a value that is not a port.
 */
export function parsePortForwardQuery(url: URL): number[] {
  const ports: number[] = [];
  for (const value of url.searchParams.getAll('ports')) {
    for (const part of value.split(',')) {
      const port = /^\d+$/.test(part) ? Number(part) : NaN;
      if (!(port > 0 && port <= 65535)) throw new RangeError(`cannot convert to []int32: invalid port "${part}"`);
      ports.push(port);
    }
  }
  return ports;
}
