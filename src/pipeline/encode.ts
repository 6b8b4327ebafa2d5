/**
 * Step 7: the result or the error in the call's protocol (src/protocol/wire.ts), with
 * x-amzn-RequestId and a Date header (SDKs correct clock skew from it); S3 also names the request in
 * x-amz-request-id / x-amz-id-2.
 */
import type { AwsError } from '../errors/aws-error.ts';
import { FALLBACK_PROTOCOL } from '../protocol/index.ts';
import type { CallStart, HttpResponse, Operation, Target } from './call.ts';

export function encodeResult(call: CallStart, target: Target, operation: Operation, output: unknown): HttpResponse {
  return target.wire.encodeResult(target.service.model, operation.name, output, { requestId: call.requestId });
}

/** `target` is undefined when the request could not be resolved: FALLBACK_PROTOCOL writes the error. */
export function encodeError(call: CallStart, target: Target | undefined, error: AwsError): HttpResponse {
  return (target?.wire ?? FALLBACK_PROTOCOL).encodeError(target?.service.model, error, { requestId: call.requestId });
}
