/** Step 3: the operation the request names, and its input read from the request and type-checked against the model. */
import type { HttpRequest, Operation, Target } from './call.ts';

/** The operation, or the protocol's refusal: unknown operation (S3: NotImplemented, MethodNotAllowed). */
export function operationOf(target: Target): Operation {
  if (target.operation) return target.operation;
  throw target.refusal ?? target.wire.errors.unknownOperation(target.operationName);
}

export function decode(req: HttpRequest, target: Target, operation: Operation): Record<string, unknown> {
  return target.wire.decode(target.service.model, operation.name, req, target.form);
}
