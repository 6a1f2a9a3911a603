// PromQL errors in the shape Prometheus's HTTP API reports them: `errorType` (bad_data for queries
// that cannot be parsed or that use PromQL the sandbox does not implement, execution for runtime
// failures) and a message.

/** The PromQL the sandbox's Prometheus evaluates, named in every "not supported" error. */
export const supportedPromQL =
  'metric selectors with = != =~ !~ matchers, range selectors [d], rate/irate/increase, histogram_quantile, round/abs/scalar/vector/time, ' +
  'sum/count/avg/min/max with by/without, + - * / % ^ and comparisons (with bool) between vectors and scalars';

/** A query error with Prometheus's errorType. */
export class PromQLError extends Error {
  constructor(
    readonly errorType: 'bad_data' | 'execution',
    message: string,
  ) {
    super(message);
  }

  /** A syntax error at a character offset (Prometheus prints `1:<col>: parse error: …`). */
  static parse(pos: number, what: string): PromQLError {
    return new PromQLError('bad_data', `1:${pos + 1}: parse error: ${what}`);
  }

  /** Valid PromQL that the sandbox's Prometheus does not evaluate. */
  static unsupported(feature: string): PromQLError {
    return new PromQLError('bad_data', `${feature} is not supported by the istio-lab sandbox's Prometheus (it evaluates ${supportedPromQL}); run the query on a real Prometheus`);
  }
}
