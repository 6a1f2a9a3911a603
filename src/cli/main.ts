// The istio-lab command-line program: commander setup, one file per command, error handling.
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { registerSandboxCommand } from './sandbox.js';
import { registerRunCommand, registerVerifyCommand } from './run.js';
import { registerResetCommand } from './reset.js';
import { registerListCommand, registerShowCommand } from './list.js';
import { registerValidateCommand } from './validate.js';
import { registerDoctorCommand } from './doctor.js';
import { ExitCode, exitCodeOf, formatError } from './errors.js';

/** The version in package.json (src/cli and dist/cli are both two levels below it). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** Build the commander program (exported for --help golden tests). */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('istio-lab')
    .description('Run Istio workshop labs end-to-end: apply, wait, probe with real traffic, report.')
    .version(packageVersion(), '-V, --version', 'print the istio-lab version')
    .option('--debug', 'print stack traces on errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerListCommand(program);
  registerShowCommand(program);
  registerRunCommand(program);
  registerVerifyCommand(program);
  registerResetCommand(program);
  registerValidateCommand(program);
  registerDoctorCommand(program);
  registerSandboxCommand(program);
  return program;
}

/** Run the CLI with process-style argv; sets process.exitCode. */
export async function main(argv: string[]): Promise<void> {
  // `istio-lab ... | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  const program = buildProgram();
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? 0 : ExitCode.usage;
      return;
    }
    process.stderr.write(`istio-lab: ${formatError(err, debug)}\n`);
    process.exitCode = exitCodeOf(err);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main(process.argv);
}
