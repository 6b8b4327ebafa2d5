/**
 * AWS answers an invalid pattern with InvalidParameterException "Invalid metric filter pattern"
 * (PutMetricFilter, TestMetricFilter). The reason is kept apart, for logs and tests: AWS does not say
 * more than that. See docs/logs-patterns.md.
 */
export const INVALID_PATTERN_MESSAGE = 'Invalid metric filter pattern';

export class FilterPatternError extends Error {
  /** What exactly is wrong (not sent to clients). */
  readonly reason: string;
  constructor(reason: string, message = INVALID_PATTERN_MESSAGE) {
    super(message);
    this.name = 'FilterPatternError';
    this.reason = reason;
  }
}
