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
      // recorded against the service the signature is scoped to, and refused once the caller is known
      return { target: { service: jsonService(req, index), protocol: 'json', operation: operation || amzTarget, refusal: unknownOperation('json') } };
    }
    return { target: { service, protocol: 'json', operation, op: service.operations[operation] } };
  }
  const contentType = header(req, 'content-type') ?? '';
  const isForm = req.method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded');
  const queryParams = parseFormLeniently(req.rawQuery).form;
  if (isForm || (req.method === 'GET' && queryParams.has('Action'))) {
    const { form, refusal } = parseFormLeniently(isForm && !req.bodyTooLarge ? req.body.toString('utf8') : req.rawQuery);
    const action = form.get('Action');
    const scoped = scopeService(req, queryParams);
    let service = index.query.find((s) => s.name === scoped);
    if (!service && action) service = index.query.find((s) => s.model.operations[action]);
    service ??= index.query.find((s) => s.name === 'sts') ?? index.query[0]!;
    const target: Target = { service, protocol: 'query', ...(refusal ? { refusal } : {}) };
    if (action) { target.operation = action; target.op = service.operations[action]; }
    return { target, form };
  }
  const json = index.byName.get('cloudtrail') ?? index.byName.values().next().value!;
  if (contentType.startsWith('application/x-amz-json')) {
    const refusal = new AwsError('UnknownOperationException', 'The request did not name an operation (X-Amz-Target is missing)', 400);
    return { target: { service: jsonService(req, index), protocol: 'json', refusal } };
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

/** The JSON service the signature is scoped to (CloudTrail when it names none): where a refused JSON call is recorded. */
function jsonService(req: HttpRequest, index: ServiceIndex): ServiceDef {
  const scoped = index.byName.get(scopeService(req, undefined) ?? '');
  return scoped && scoped.model.metadata.protocol === 'json' ? scoped : (index.byName.get('cloudtrail') ?? index.byName.values().next().value!);
}

/**
 * The form's pairs, and when its percent-encoding is malformed (or not UTF-8) the refusal to raise
 * once the caller is authenticated; the pairs then hold what could be decoded, so the call is
 * still routed, and recorded, by its Action.
 */
function parseFormLeniently(text: string): { form: Map<string, string>; refusal?: AwsError } {
  try {
    return { form: parseForm(text) };
  } catch (e) {
    if (!(e instanceof AwsError)) throw e;
    const form = new Map<string, string>();
    for (const part of text.split('&')) {
      const eq = part.indexOf('=');
      const k = eq < 0 ? part : part.slice(0, eq);
      try { form.set(decodeURIComponent(k.replace(/\+/g, ' ')), decodeURIComponent((eq < 0 ? '' : part.slice(eq + 1)).replace(/\+/g, ' '))); } catch { /* left out */ }
    }
    return { form, refusal: e };
  }
}
