/**
 * Step 1: which service and protocol a request is for. JSON 1.1 services by `X-Amz-Target`
 * (CloudTrail's with or without the `com.amazonaws.cloudtrail.v20131101.` prefix, as the CLI and the
 * SDK differ); Query services by `Action=` with the SigV4 scope's service telling IAM from STS;
 * everything else is S3 (REST-XML, path-style), its operation from method + path + query.
 */
import { AwsError, unknownOperation } from '../errors/aws-error.ts';
import { parseForm } from '../protocol/aws-query/index.ts';
import { routeRequest } from '../protocol/rest-xml/index.ts';
import type { ServiceDef } from '../services/types.ts';
import { header, type HttpRequest, type Target } from './call.ts';

export interface ServiceIndex {
  byTarget: Map<string, ServiceDef>;
  byName: Map<string, ServiceDef>;
  query: ServiceDef[];
}

export function indexServices(services: ServiceDef[]): ServiceIndex {
  const byTarget = new Map<string, ServiceDef>();
  const byName = new Map<string, ServiceDef>();
  const query: ServiceDef[] = [];
  for (const s of services) {
    byName.set(s.name, s);
    const prefix = s.model.metadata.targetPrefix;
    if (prefix) {
      byTarget.set(prefix, s);
      byTarget.set(prefix.slice(prefix.lastIndexOf('.') + 1), s);
    }
    if (s.model.metadata.protocol === 'query') query.push(s);
  }
  return { byTarget, byName, query };
}

const SCOPE_SERVICE = /Credential=[^/,\s]+\/\d{8}\/[^/]+\/([^/]+)\//;

function scopeService(req: HttpRequest, query: Map<string, string> | undefined): string | undefined {
  const auth = header(req, 'authorization');
  const m = auth?.match(SCOPE_SERVICE);
  if (m) return m[1];
  const cred = query?.get('X-Amz-Credential');
  return cred?.split('/')[3];
}

/** Returns the target, and for Query requests the decoded form parameters (read once). */
export function resolve(req: HttpRequest, index: ServiceIndex): { target: Target; form?: Map<string, string> } {
  const amzTarget = header(req, 'x-amz-target');
  if (amzTarget) {
    const dot = amzTarget.lastIndexOf('.');
    const service = index.byTarget.get(amzTarget.slice(0, dot));
    const operation = amzTarget.slice(dot + 1);
    if (!service || dot < 0) {
      throw unknownOperation('json');
    }
    return { target: { service, protocol: 'json', operation, op: service.operations[operation] } };
  }
  const contentType = header(req, 'content-type') ?? '';
  const isForm = req.method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded');
  const queryParams = parseForm(req.rawQuery);
  if (isForm || (req.method === 'GET' && queryParams.has('Action'))) {
    const form = isForm && !req.bodyTooLarge ? parseForm(req.body.toString('utf8')) : queryParams;
    const action = form.get('Action');
    const scoped = scopeService(req, queryParams);
    let service = index.query.find((s) => s.name === scoped);
    if (!service && action) service = index.query.find((s) => s.model.operations[action]);
    service ??= index.query.find((s) => s.name === 'sts') ?? index.query[0]!;
    const target: Target = { service, protocol: 'query' };
    if (action) { target.operation = action; target.op = service.operations[action]; }
    return { target, form };
  }
  const json = index.byName.get('cloudtrail') ?? index.byName.values().next().value!;
  if (contentType.startsWith('application/x-amz-json')) {
    throw new AwsError('UnknownOperationException', 'The request did not name an operation (X-Amz-Target is missing)', 400);
  }
  const s3 = index.byName.get('s3');
  if (s3) {
    // An unserved or unknown S3 request keeps no operation: decode refuses it (NotImplemented / MethodNotAllowed).
    const route = routeRequest(s3.model, req.method, req.rawPath, req.rawQuery, req.headers);
    const target: Target = { service: s3, protocol: 'rest-xml' };
    if ('operation' in route) { target.operation = route.operation; target.op = s3.operations[route.operation]; }
    return { target };
  }
  return { target: { service: json, protocol: 'json' } };
}
