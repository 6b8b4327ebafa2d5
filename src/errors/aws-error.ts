/**
 * The one error type that reaches the wire. A service throws `new AwsError(code, message)` through a
 * named helper; the call's wire protocol (src/protocol/wire.ts) decides the wire form (JSON `__type`,
 * Query `<Code>`, S3 `<Error>`) and spells the errors every service shares. Anything else thrown
 * becomes InternalFailure (500), logged once with the request id and never echoed.
 */
export class AwsError extends Error {
  constructor(
    /** Wire error code, e.g. `ProjectNotFoundException` or `NoSuchEntity`. */
    readonly code: string,
    message: string,
    /** HTTP status; client faults are 4xx. */
    readonly status = 400,
    /** `Sender` (client) or `Receiver` (server), as the Query protocol's `<Type>` says. */
    readonly fault: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
    /**
     * JSON services compatible with Query (SQS): the error's Query code, which the Query protocol
     * writes as <Code> and the JSON protocol sends in `x-amzn-query-error` (docs/sqs.md#protocols).
     */
    readonly queryCode?: string,
  ) {
    super(message);
    this.name = code;
  }
}

/**
 * AWS's InternalFailure, as the JSON and Query protocols spell it; also the answer when even a failed
 * call's audit record cannot be written, whatever the protocol.
 */
export const internalFailure = () =>
  new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
