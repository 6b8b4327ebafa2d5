/**
 * What the pipeline's steps hand each other (index.ts): each step returns what it produces, and a
 * later step takes it as an argument, never as an optional field to assert.
 */
import type { ConsoleCall } from '../audit/observer.ts';
import type { Principal } from '../auth/principal.ts';
import type { SigV4Auth } from '../auth/sigv4/index.ts';
import type { AwsError } from '../errors/aws-error.ts';
import type { OperationModel } from '../protocol/model.ts';
import type { WireProtocol, WireRequest, WireResponse } from '../protocol/wire.ts';
import type { OperationDef, ServiceDef } from '../services/types.ts';

export interface HttpRequest extends WireRequest {
  remoteAddress: string;
  /** set by the HTTP edge when the body exceeded the configured limit (the body is then empty) */
  bodyTooLarge?: boolean;
  /** set only by the web console (src/console/), never from the wire (audit/observer.ts ConsoleCall) */
  console?: ConsoleCall;
}

export type HttpResponse = WireResponse;

/** What is known of a call from its first byte. */
export interface CallStart {
  requestId: string;
  eventId: string;
  startedAt: Date;
  sourceIp: string;
  userAgent: string;
  console?: ConsoleCall;
  /** how the request is signed, if it is (an Authorization header or a presigned query) */
  authentication?: 'AuthHeader' | 'QueryString';
  /** the request body's length in bytes */
  bytesIn?: number;
}

/** An operation the service serves: its name, its definition and its model. */
export interface Operation {
  name: string;
  def: OperationDef;
  model: OperationModel;
}

/** Step 1's answer: the service, the protocol it speaks, and the operation the request names. */
export interface Target {
  service: ServiceDef;
  wire: WireProtocol;
  /** Wire operation name as sent; undefined when the request named none. */
  operationName?: string;
  /** The operation, when the service serves the one named. */
  operation?: Operation;
  /** Query: the form parameters, read once. */
  form?: Map<string, string>;
  /**
   * Why the request cannot be served although its target is known: a malformed form encoding, an
   * unknown X-Amz-Target prefix, S3's MethodNotAllowed. Raised by step 3, after authentication, so
   * that the refused call is recorded with its caller.
   */
  refusal?: AwsError;
}

/** Step 2a's answer: the SigV4 credential, parsed. */
export interface Credential {
  auth: SigV4Auth;
  /** Region the call is recorded in: the SigV4 scope region, or us-east-1 for global services. */
  region: string;
}

/** An authenticated caller: whom handlers act for, and whom the audit record names. */
export interface Caller extends CallStart {
  principal: Principal;
  region: string;
  accessKeyId: string;
  /** Other accounts that also receive the call's record: the resource's owner, when it is not the caller's account (step 4; audit/observer.ts observeAll). */
  copiesFor?: string[];
}

export function header(req: WireRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}
