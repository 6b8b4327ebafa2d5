/**
 * REST-XML routing for S3, path-style (smithy.io restXml; S3 API Reference): the operation comes from
 * the method, the path's shape (`/`, `/{Bucket}`, `/{Bucket}/{Key+}`) and the query parameters its
 * model `requestUri` requires (`?location`, `?list-type=2`, `?policy`); the most specific route wins.
 * `x-id`, which the JS SDK adds, names the operation outright. Some operations share their
 * requestUri with the plain object operations and are told apart by what S3's request syntax adds
 * (ROUTING below): `?partNumber&uploadId` (UploadPart), `?uploadId` (CompleteMultipartUpload,
 * AbortMultipartUpload, ListParts), the `x-amz-copy-source` header (CopyObject, UploadPartCopy). A
 * request naming an S3 subresource or routing header we do not serve (`?acl`, `?tagging` on a
 * bucket, …) is refused rather than answered by the plain bucket or object operation it would
 * otherwise fall through to.
 */
import type { ServiceModel } from '../model.ts';

export type PathKind = 'service' | 'bucket' | 'object';

export interface Route {
  operation: string;
  method: string;
  kind: PathKind;
  query: [string, string | undefined][];
  headers: string[];
}

export type RouteResult = { operation: string } | { refusal: 'NotImplemented' | 'MethodNotAllowed' };

/** Every query name in the requestUri of the full S3 model, plus uploadId and session: S3's subresources. */
export const SUBRESOURCES = new Set([
  'accelerate',
  'acl',
  'analytics',
  'attributes',
  'cors',
  'delete',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'legal-hold',
  'lifecycle',
  'list-type',
  'location',
  'logging',
  'metrics',
  'notification',
  'object-lock',
  'ownershipControls',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'restore',
  'retention',
  'select',
  'select-type',
  'tagging',
  'torrent',
  'uploads',
  'versioning',
  'versions',
  'website',
  'uploadId',
  'session',
  'annotation',
  'metadataTable',
  'renameObject',
]);

/** What S3 routes on beyond the model's requestUri (S3 API Reference request syntax of each operation). */
const ROUTING: Record<string, { query?: string[]; headers?: string[] }> = {
  UploadPart: { query: ['partNumber', 'uploadId'] },
  UploadPartCopy: { query: ['partNumber', 'uploadId'], headers: ['x-amz-copy-source'] },
  CopyObject: { headers: ['x-amz-copy-source'] },
  CompleteMultipartUpload: { query: ['uploadId'] },
  AbortMultipartUpload: { query: ['uploadId'] },
  ListParts: { query: ['uploadId'] },
};

/** Headers that make a request another operation than the plain one (CopyObject): never ignored. */
const ROUTING_HEADERS = ['x-amz-copy-source'];

export function pathKind(rawPath: string): PathKind {
  const rest = rawPath.replace(/^\//, '');
  if (rest === '') return 'service';
  const slash = rest.indexOf('/');
  return slash < 0 || slash === rest.length - 1 ? 'bucket' : 'object';
}

/** Query parameter names and first values, leniently decoded (routing only needs the names). */
export function queryNames(rawQuery: string): Map<string, string> {
  const out = new Map<string, string>();
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  for (const part of rawQuery.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const name = dec(eq < 0 ? part : part.slice(0, eq));
    if (!out.has(name)) out.set(name, eq < 0 ? '' : dec(part.slice(eq + 1)));
  }
  return out;
}

const cache = new WeakMap<ServiceModel, Route[]>();

export function routesOf(model: ServiceModel): Route[] {
  let routes = cache.get(model);
  if (routes) return routes;
  routes = Object.entries(model.operations).map(([operation, op]) => {
    const [path = '/', query = ''] = op.http.requestUri.split('?');
    const kind: PathKind = path.includes('{Key+}') ? 'object' : path.includes('{Bucket}') ? 'bucket' : 'service';
    const required = query
      .split('&')
      .filter(Boolean)
      .map((p): [string, string | undefined] => {
        const eq = p.indexOf('=');
        return eq < 0 ? [p, undefined] : [p.slice(0, eq), p.slice(eq + 1)];
      });
    const extra = ROUTING[operation] ?? {};
    for (const q of extra.query ?? []) required.push([q, undefined]);
    return { operation, method: op.http.method, kind, query: required, headers: extra.headers ?? [] };
  });
  // the most specific first: more required query parameters and headers
  routes.sort((a, b) => b.query.length + b.headers.length - (a.query.length + a.headers.length));
  cache.set(model, routes);
  return routes;
}

export function routeRequest(model: ServiceModel, method: string, rawPath: string, rawQuery: string, headers: Record<string, unknown> = {}): RouteResult {
  const kind = pathKind(rawPath);
  const q = queryNames(rawQuery);
  const routes = routesOf(model).filter((r) => r.kind === kind);
  const candidates = routes.filter(
    (r) =>
      r.method === method && r.query.every(([k, v]) => q.has(k) && (v === undefined || q.get(k) === v)) && r.headers.every((h) => headers[h] !== undefined),
  );
  const xid = q.get('x-id');
  const chosen = xid !== undefined ? candidates.find((r) => r.operation === xid) : candidates[0];
  if (!chosen) {
    if (xid === undefined && !hasSubresource(q) && routes.length && !routes.some((r) => r.method === method)) return { refusal: 'MethodNotAllowed' };
    return { refusal: 'NotImplemented' };
  }
  const own = new Set(chosen.query.map(([k]) => k));
  if ([...q.keys()].some((k) => SUBRESOURCES.has(k) && !own.has(k))) return { refusal: 'NotImplemented' };
  if (ROUTING_HEADERS.some((h) => headers[h] !== undefined && !chosen.headers.includes(h))) return { refusal: 'NotImplemented' };
  return { operation: chosen.operation };
}

function hasSubresource(q: Map<string, string>): boolean {
  return [...q.keys()].some((k) => SUBRESOURCES.has(k));
}
