// Reporters, one file each; this map from --reporter name to factory is the only list of them.
import type { ReporterFactory } from '../reporter.js';
import { createJsonReporter } from './json.js';
import { createJunitReporter } from './junit.js';
import { createPlainReporter } from './plain.js';
import { createPrettyReporter } from './pretty.js';

/** Every reporter by name: adding one is a new file plus one line here. */
export const reporterFactories = {
  pretty: createPrettyReporter,
  plain: createPlainReporter,
  json: createJsonReporter,
  junit: createJunitReporter,
} satisfies Record<string, ReporterFactory>;

/** A valid --reporter name. */
export type ReporterName = keyof typeof reporterFactories;
