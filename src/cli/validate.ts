// `istio-lab validate [paths...]`: offline checks of labs and manifests (no cluster needed).
import { Option, type Command } from 'commander';
import { ExitCode } from './errors.js';
import { labRoot } from './shared.js';

/** Register the `validate` command. */
export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('Check labs and manifests offline: YAML, the lab schema, kinds and apiVersions, names, Istio schemas and legacy APIs')
    .argument('[paths...]', 'lab files, manifest files or folders (searched recursively); default: every lab under labs/')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Each problem is printed as "file:line:column path: message"; warnings as "file:line:column warning: ...".
Legacy APIs (RouteRule, Mixer kinds, authentication.istio.io Policy, extensions/v1beta1 Deployments,
fault "percent", ...) are reported with their modern replacement. Exit code 0 when there are no
errors (warnings are fine), 2 when there is at least one.

Examples:
  $ istio-lab validate                                   # every lab under labs/ and its manifests
  $ istio-lab validate labs/core/ingress-gateway.yaml    # one lab and the manifests it references
  $ istio-lab validate manifests/ old-workshop/          # every YAML file under these folders
  $ istio-lab validate -o json labs/ > problems.json     # machine-readable`,
    )
    .action(async (paths: string[], opts: { output: 'text' | 'json' }) => {
      const { validatePaths, formatReportJson, formatReportText } = await import('../validate/index.js');
      const report = await validatePaths(paths, { cwd: process.cwd(), repoRoot: labRoot() });
      process.stdout.write(opts.output === 'json' ? formatReportJson(report) : formatReportText(report));
      process.exitCode = report.errorCount > 0 ? ExitCode.usage : ExitCode.ok;
    });
}
