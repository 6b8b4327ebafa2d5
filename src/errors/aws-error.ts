/**
 * The one error type that reaches the wire. A service throws `new AwsError(code, message)` through a
 * named helper; the protocol encoder decides the wire form (JSON `__type`, Query `<Code>`). Anything
 * else thrown becomes InternalFailure (500), logged once with the request id and never echoed.
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
  ) {
    super(message);
    this.name = code;
  }
}

export const isAwsError = (e: unknown): e is AwsError => e instanceof AwsError;

/** Errors common to every service, per protocol family where AWS spells them differently. */
export type Protocol = 'json' | 'query' | 'rest-xml';

export const internalFailure = () =>
  new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);

export const unknownOperation = (protocol: Protocol, op?: string) =>
  protocol === 'json'
    ? new AwsError('UnknownOperationException', op ? `Unknown operation ${op}` : 'Unknown operation', 400)
    : new AwsError('InvalidAction', op ? `Could not find operation ${op} for version` : 'The action or operation requested is invalid. Verify that the action is typed correctly.', 400);

export const serializationError = (protocol: Protocol, detail: string) =>
  protocol === 'json'
    ? new AwsError('SerializationException', detail, 400)
    : new AwsError('MalformedQueryString', detail, 400);

export const validationError = (protocol: Protocol, message: string) =>
  new AwsError(protocol === 'json' ? 'ValidationException' : 'ValidationError', message, 400);

export const missingParameter = (name: string) =>
  new AwsError('MissingParameter', `The request must contain the parameter ${name}`, 400);

export const requestTooLarge = (protocol: Protocol, limit: number) =>
  protocol === 'rest-xml'
    ? new AwsError('EntityTooLarge', `Your proposed upload exceeds the maximum allowed size of ${limit} bytes`, 400)
    : new AwsError(protocol === 'json' ? 'SerializationException' : 'RequestEntityTooLarge', `Request body is larger than the limit of ${limit} bytes`, 413);

export const accessDenied = (protocol: Protocol, message: string) =>
  protocol === 'json'
    ? new AwsError('AccessDeniedException', message, 400)
    : new AwsError('AccessDenied', message, 403);
