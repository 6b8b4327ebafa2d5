/**
 * Step 1: which service, protocol and operation a request is for, decided once. JSON services by
 * `X-Amz-Target` (CloudTrail's with or without the `com.amazonaws.cloudtrail.v20131101.` prefix, as
 * the CLI and the SDK differ); Query services by `Action=` with the SigV4 scope's service telling IAM
 * from STS; everything else is S3 (REST-XML, path-style), its operation from method + path + query.
 */
import { AwsError } from '../errors/aws-error.ts';
import { missingTarget } from '../protocol/aws-json/index.ts';
import { parseForm } from '../protocol/aws-query/index.ts';
import { FALLBACK_PROTOCOL, protocolOf } from '../protocol/index.ts';
import { refusalError, routeRequest } from '../protocol/rest-xml/index.ts';
import { rpcPath, rpcv2Cbor } from '../protocol/rpcv2-cbor/protocol.ts';
import type { ServiceDef } from '../services/types.ts';
import { header, type HttpRequest, type Operation, type Target } from './call.ts';

export interface ServiceIndex {
  byTarget: Map<string, ServiceDef>;
  byName: Map<string, ServiceDef>;
  /** services whose protocol names the operation in `Action` */
  byAction: ServiceDef[];
}

export function indexServices(services: ServiceDef[]): ServiceIndex {
  const byTarget = new Map<string, ServiceDef>();
  const byName = new Map<string, ServiceDef>();
  const byAction: ServiceDef[] = [];
  for (const s of services) {
    byName.set(s.name, s);
    const addressing = protocolOf(s.model).addressing;
    const prefix = s.model.metadata.targetPrefix;
    if (addressing === 'target' && prefix) {
      byTarget.set(prefix, s);
      byTarget.set(prefix.slice(prefix.lastIndexOf('.') + 1), s);
    }
    if (addressing === 'action' || s.queryWire) byAction.push(s);
  }
  return { byTarget, byName, byAction };
}

/** The operation `name`, if `service` serves it (in its definitions and its model). */
export function servedOperation(service: ServiceDef, name: string): Operation | undefined {
  const def = Object.hasOwn(service.operations, name) ? service.operations[name] : undefined;
  const model = Object.hasOwn(service.model.operations, name) ? service.model.operations[name] : undefined;
  return def && model ? { name, def, model } : undefined;
}

/** The protocol a service speaks to a request: its Query protocol for `Action=` forms (SQS), else its own. */
const wireOf = (service: ServiceDef, form: boolean) => (form ? service.queryWire : undefined) ?? service.wire ?? protocolOf(service.model);

function named(service: ServiceDef, operationName: string | undefined, form = false): Target {
  const target: Target = { service, wire: wireOf(service, form) };
  if (operationName === undefined) return target;
  const operation = servedOperation(service, operationName);
  return { ...target, operationName, ...(operation ? { operation } : {}) };
}

const SCOPE_SERVICE = /Credential=[^/,\s]+\/\d{8}\/[^/]+\/([^/]+)\//;

function scopeService(req: HttpRequest, query: Map<string, string>): string | undefined {
  const m = header(req, 'authorization')?.match(SCOPE_SERVICE);
  if (m) return m[1];
  return query.get('X-Amz-Credential')?.split('/')[3];
}

/**
 * The target of the request. A request that names no known JSON service, or whose form is
 * malformed, still gets a target (the JSON service the signature is scoped to; the Query service and
 * the Action that could be read) with a refusal that step 3 raises once the caller is known, so it
 * is answered in its protocol's form and recorded. Only a server serving no service at all fails
 * here, in FALLBACK_PROTOCOL's form.
 */
export function resolve(req: HttpRequest, index: ServiceIndex): Target {
  const rpc = req.method === 'POST' && header(req, 'smithy-protocol') !== undefined ? rpcPath(req.rawPath) : undefined;
  if (rpc) return resolveRpc(req, index, rpc);
  const amzTarget = header(req, 'x-amz-target');
  if (amzTarget) {
    const dot = amzTarget.lastIndexOf('.');
    const service = dot < 0 ? undefined : index.byTarget.get(amzTarget.slice(0, dot));
    if (!service) {
      // recorded against the JSON service the signature is scoped to, and refused once the caller is known
      const scoped = jsonService(req, index);
      if (!scoped) throw FALLBACK_PROTOCOL.errors.unknownOperation();
      const wire = wireOf(scoped, false);
      return { service: scoped, wire, operationName: amzTarget.slice(dot + 1) || amzTarget, refusal: wire.errors.unknownOperation() };
    }
    return named(service, amzTarget.slice(dot + 1));
  }
  const contentType = header(req, 'content-type') ?? '';
  const isForm = req.method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded');
  const queryParams = parseFormLeniently(req.rawQuery).form;
  if (isForm || (req.method === 'GET' && queryParams.has('Action'))) {
    const { form, refusal } = parseFormLeniently(isForm && !req.bodyTooLarge ? req.body.toString('utf8') : req.rawQuery);
    const action = form.get('Action');
    const scoped = scopeService(req, queryParams);
    const service =
      index.byAction.find((s) => s.name === scoped) ??
      (action ? index.byAction.find((s) => Object.hasOwn(s.model.operations, action)) : undefined) ??
      index.byAction.find((s) => s.name === 'sts') ??
      index.byAction[0];
    if (service) return { ...named(service, action || undefined, true), form, ...(refusal ? { refusal } : {}) };
  }
  if (contentType.startsWith('application/x-amz-json')) {
    const scoped = jsonService(req, index);
    if (!scoped) throw missingTarget();
    return { service: scoped, wire: wireOf(scoped, false), refusal: missingTarget() };
  }
  // a request signed for a service served by Action= forms (SQS) that names no operation — a bare
  // GET of a queue URL — is that service's unknown operation, never an S3 request for that path
  const signedFor = index.byName.get(scopeService(req, queryParams) ?? '');
  if (signedFor?.queryWire) return { ...named(signedFor, undefined, true), refusal: signedFor.queryWire.errors.unknownOperation() };
  const s3 = index.byName.get('s3');
  if (s3) {
    const route = routeRequest(s3.model, req.method, req.rawPath, req.rawQuery, req.headers);
    if ('operation' in route) return named(s3, route.operation);
    // an unserved or unknown S3 request keeps no operation: step 3 refuses it (NotImplemented / MethodNotAllowed)
    return { ...named(s3, undefined), refusal: refusalError(route.refusal, req.method) };
  }
  const fallback = index.byName.get('cloudtrail') ?? index.byName.values().next().value;
  if (!fallback) throw FALLBACK_PROTOCOL.errors.unknownOperation();
  return named(fallback, undefined);
}

/**
 * Smithy RPC v2 (`POST /service/<target prefix>/operation/<Op>`, `smithy-protocol: rpc-v2-cbor`;
 * https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2.html): the service whose target
 * prefix the path names, if it speaks the protocol; otherwise refused in CBOR once the caller is known.
 */
function resolveRpc(req: HttpRequest, index: ServiceIndex, rpc: { service: string; operation: string }): Target {
  const service = index.byTarget.get(rpc.service);
  if (service && (service.rpcWire || protocolOf(service.model) === rpcv2Cbor)) return { ...named(service, rpc.operation), wire: service.rpcWire ?? rpcv2Cbor };
  const scoped = jsonService(req, index);
  if (!scoped) throw rpcv2Cbor.errors.unknownOperation();
  return { service: scoped, wire: rpcv2Cbor, operationName: rpc.operation, refusal: rpcv2Cbor.errors.unknownOperation(rpc.operation) };
}

/** The JSON service the signature is scoped to (CloudTrail when it names none): where a refused JSON call is recorded. */
function jsonService(req: HttpRequest, index: ServiceIndex): ServiceDef | undefined {
  const scoped = index.byName.get(scopeService(req, new Map()) ?? '');
  return scoped && protocolOf(scoped.model).addressing === 'target' ? scoped : index.byName.get('cloudtrail');
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
      try {
        form.set(decodeURIComponent(k.replace(/\+/g, ' ')), decodeURIComponent((eq < 0 ? '' : part.slice(eq + 1)).replace(/\+/g, ' ')));
      } catch {
        /* left out */
      }
    }
    return { form, refusal: e };
  }
}
