// Test fixture program: a commander program with only `validate` registered, handling errors the
// way src/cli/main.ts does, so tests can spawn it as a user runs the CLI.
import { Command, CommanderError } from 'commander';
import { registerValidateCommand } from '../../src/cli/validate.js';
import { ExitCode, formatError } from '../../src/cli/errors.js';

const program = new Command().name('istio-lab').exitOverride();
registerValidateCommand(program);
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exitCode = err.exitCode === 0 ? 0 : ExitCode.usage;
  else {
    process.stderr.write(`istio-lab: ${formatError(err, false)}\n`);
    process.exitCode = (err as { exitCode?: number }).exitCode ?? ExitCode.usage;
  }
}
