/** The state of one call as it moves through the pipeline; the audit observer reads it at the end. */
import type { ConsoleCall } from '../audit/observer.ts';
import type { Principal } from '../auth/principal.ts';
import type { AwsError, Protocol } from '../errors/aws-error.ts';
import type { OperationDef, ServiceDef } from '../services/types.ts';

export interface HttpRequest {
  method: string;
  rawPath: string;
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  remoteAddress: string;
  /** set by the HTTP edge when the body exceeded the configured limit (the body is then empty) */
  bodyTooLarge?: boolean;
  /** set only by the web console (src/console/), never from the wire (audit/observer.ts ConsoleCall) */
  console?: ConsoleCall;
}

export interface HttpResponse { status: number; headers: Record<string, string>; body: string | Buffer }

export interface Target {
  service: ServiceDef;
  protocol: Protocol;
  /** Wire operation name as sent; undefined when the request named none. */
  operation?: string;
  op?: OperationDef;
  /**
   * Why the request cannot be decoded (malformed form encoding, an unknown X-Amz-Target prefix):
   * raised by the decode step, after authentication, so that the refused call is recorded with its caller.
   */
  refusal?: AwsError;
}

export interface Call {
  requestId: string;
  eventId: string;
  startedAt: Date;
  sourceIp: string;
  userAgent: string;
  target?: Target;
  /** Region the call is recorded in: the SigV4 scope region, or us-east-1 for global services. */
  region: string;
  /** Access key id from a parseable SigV4 credential; a call with one is always recorded. */
  claimedAccessKeyId?: string;
  principal?: Principal;
  input?: Record<string, unknown>;
  console?: ConsoleCall;
}

export function header(req: HttpRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}
