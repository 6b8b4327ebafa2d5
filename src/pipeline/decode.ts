/** Step 3: the request body (or form) to the operation's input, type-checked against the model. */
import { unknownOperation } from '../errors/aws-error.ts';
import { decodeJson, parseJsonBody } from '../protocol/aws-json/index.ts';
import { decodeQuery } from '../protocol/aws-query/index.ts';
import { decodeRestXml, methodNotAllowed, notImplemented, routeRequest } from '../protocol/rest-xml/index.ts';
import type { HttpRequest, Target } from './call.ts';

export function decode(req: HttpRequest, target: Target, form: Map<string, string> | undefined): Record<string, unknown> {
  const { service, operation, protocol } = target;
  if (target.refusal) throw target.refusal;
  if (protocol === 'rest-xml') {
    if (!operation || !target.op) {
      const route = routeRequest(service.model, req.method, req.rawPath, req.rawQuery, req.headers);
      throw 'refusal' in route && route.refusal === 'MethodNotAllowed' ? methodNotAllowed(req.method) : notImplemented();
    }
    return decodeRestXml(service.model, operation, req);
  }
  const opModel = operation ? service.model.operations[operation] : undefined;
  if (!operation || !opModel || !target.op) throw unknownOperation(protocol, operation);
  if (protocol === 'json') {
    const raw = parseJsonBody(req.body);
    return opModel.input ? (decodeJson(service.model, opModel.input, raw) as Record<string, unknown>) : {};
  }
  return decodeQuery(service.model, opModel.input, form ?? new Map());
}
