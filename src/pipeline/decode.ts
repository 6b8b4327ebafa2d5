/** Step 3: the operation the request names, and its input read from the request and type-checked against the model. */
import type { HttpRequest, Operation, Target } from './call.ts';

/** The operation, or the refusal resolve found (a malformed form, an unknown target; S3: MethodNotAllowed), or the protocol's unknown operation (S3: NotImplemented). */
export function operationOf(target: Target): Operation {
  if (target.refusal) throw target.refusal;
  if (target.operation) return target.operation;
  throw target.refusal ?? target.wire.errors.unknownOperation(target.operationName, target.service.model.metadata.apiVersion);
}

export function decode(req: HttpRequest, target: Target, operation: Operation): Record<string, unknown> {
  return target.wire.decode(target.service.model, operation.name, req, target.form);
}
