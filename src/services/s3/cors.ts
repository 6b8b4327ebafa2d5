/**
 * Cross-origin resource sharing (docs/s3.md#cors; https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketCors.html): the bucket's CORS rules
 * (bucket configuration `cors`), PutBucketCors / GetBucketCors / DeleteBucketCors authorized with
 * s3:PutBucketCORS and s3:GetBucketCORS (deleting is s3:PutBucketCORS), and how a rule matches a
 * request: its origin against AllowedOrigins (one `*` wildcard each), its method against
 * AllowedMethods, and — for a preflight — every header of Access-Control-Request-Headers against
 * AllowedHeaders (one `*` each). The first matching rule answers.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { isValidBucketName, type ObjectStore } from '../../objects/index.ts';
import { XML_DECLARATION, xmlText } from '../../protocol/rest-xml/xml.ts';
import type { OperationDefs } from '../types.ts';
import type { CORSConfiguration, CORSRule, Operations as Ops, Output } from './model.generated.ts';
import { bucketResources, target } from './access.ts';
import { invalidRequest, malformedXml, noSuchBucket, S3Error, store } from './errors.ts';
import { bucketOfPath } from './region-hints.ts';

export const CORS_METHODS = ['GET', 'PUT', 'HEAD', 'POST', 'DELETE'];
const MAX_RULES = 100;

export const noSuchCors = (bucket: string) => new S3Error('NoSuchCORSConfiguration', 'The CORS configuration does not exist', 404, { BucketName: bucket });

/** A CORS configuration as S3 accepts it: 1–100 rules, each with origins and known methods, at most one `*` per origin or header. */
export function checkCors(c: CORSConfiguration | undefined): CORSConfiguration {
  const rules = c?.CORSRules;
  if (!Array.isArray(rules) || rules.length === 0) throw malformedXml();
  if (rules.length > MAX_RULES) throw invalidRequest(`The number of CORS rules should not exceed allowed limit of ${MAX_RULES} rules.`);
  const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
  return {
    CORSRules: rules.map((r): CORSRule => {
      if (!r || !strings(r.AllowedMethods) || !strings(r.AllowedOrigins) || !r.AllowedMethods.length || !r.AllowedOrigins.length) throw malformedXml();
      for (const m of r.AllowedMethods) {
        if (!CORS_METHODS.includes(m)) throw invalidRequest(`Found unsupported HTTP method in CORS config. Unsupported method is ${m}`);
      }
      for (const o of r.AllowedOrigins) {
        if (o.split('*').length > 2) throw invalidRequest(`AllowedOrigin "${o}" can not have more than one wildcard.`);
      }
      if (r.AllowedHeaders !== undefined && !strings(r.AllowedHeaders)) throw malformedXml();
      for (const h of r.AllowedHeaders ?? []) {
        if (h.split('*').length > 2) throw invalidRequest(`AllowedHeader "${h}" can not have more than one wildcard.`);
      }
      if (r.ExposeHeaders !== undefined && !strings(r.ExposeHeaders)) throw malformedXml();
      if (r.MaxAgeSeconds !== undefined && !Number.isInteger(r.MaxAgeSeconds)) throw malformedXml();
      if (r.ID !== undefined && (typeof r.ID !== 'string' || r.ID.length > 255)) throw malformedXml();
      return {
        ...(r.ID !== undefined ? { ID: r.ID } : {}),
        ...(r.AllowedHeaders?.length ? { AllowedHeaders: r.AllowedHeaders } : {}),
        AllowedMethods: r.AllowedMethods,
        AllowedOrigins: r.AllowedOrigins,
        ...(r.ExposeHeaders?.length ? { ExposeHeaders: r.ExposeHeaders } : {}),
        ...(r.MaxAgeSeconds !== undefined ? { MaxAgeSeconds: r.MaxAgeSeconds } : {}),
      };
    }),
  };
}

/** `pattern` with at most one `*` (any run of characters) against `value`; headers compare case-insensitively. */
function wildcard(pattern: string, value: string, caseless: boolean): boolean {
  const p = caseless ? pattern.toLowerCase() : pattern;
  const v = caseless ? value.toLowerCase() : value;
  const star = p.indexOf('*');
  if (star < 0) return p === v;
  const head = p.slice(0, star);
  const tail = p.slice(star + 1);
  return v.length >= head.length + tail.length && v.startsWith(head) && v.endsWith(tail);
}

/** The first rule allowing the origin, method and (preflight) requested headers. */
export function matchRule(config: CORSConfiguration, origin: string, method: string, requestHeaders: string[] = []): CORSRule | undefined {
  return config.CORSRules.find(
    (r) =>
      r.AllowedOrigins.some((o) => wildcard(o, origin, false)) &&
      r.AllowedMethods.includes(method) &&
      requestHeaders.every((h) => (r.AllowedHeaders ?? []).some((a) => wildcard(a, h, true))),
  );
}

/**
 * The Access-Control-* headers S3 answers for a matching rule: the origin (`*` when the rule allows
 * any origin), the rule's methods, the requested headers, Max-Age and Expose-Headers, Vary, and
 * Allow-Credentials for a named origin.
 */
export function corsHeaders(rule: CORSRule, origin: string, requestHeaders: string[] = []): Record<string, string> {
  const any = rule.AllowedOrigins.includes('*');
  return {
    'access-control-allow-origin': any ? '*' : origin,
    'access-control-allow-methods': rule.AllowedMethods.join(', '),
    ...(requestHeaders.length ? { 'access-control-allow-headers': requestHeaders.join(', ') } : {}),
    ...(rule.MaxAgeSeconds !== undefined ? { 'access-control-max-age': String(rule.MaxAgeSeconds) } : {}),
    ...(rule.ExposeHeaders?.length ? { 'access-control-expose-headers': rule.ExposeHeaders.join(', ') } : {}),
    ...(any ? {} : { 'access-control-allow-credentials': 'true' }),
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
}

export async function corsOf(objects: ObjectStore, bucket: string): Promise<CORSConfiguration | undefined> {
  const text = await objects.getBucketConfig(bucket, 'cors').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as CORSConfiguration;
  } catch {
    return undefined;
  }
}

export function corsOperations(objects: ObjectStore): OperationDefs<Ops, 'PutBucketCors' | 'GetBucketCors' | 'DeleteBucketCors'> {
  return {
    PutBucketCors: {
      readOnly: false,
      authorize: target(objects, 's3:PutBucketCORS'),
      async handler(input): Promise<Output<'PutBucketCors'>> {
        if (!(await objects.getBucket(input.Bucket))) throw noSuchBucket(input.Bucket);
        const config = checkCors(input.CORSConfiguration);
        await store(objects.putBucketConfig(input.Bucket, 'cors', JSON.stringify(config)), { bucket: input.Bucket });
        return {};
      },
      resources: bucketResources,
    },
    GetBucketCors: {
      readOnly: true,
      authorize: target(objects, 's3:GetBucketCORS'),
      async handler(input): Promise<Output<'GetBucketCors'>> {
        const text = await store(objects.getBucketConfig(input.Bucket, 'cors'), { bucket: input.Bucket });
        if (text === undefined) throw noSuchCors(input.Bucket);
        return { CORSRules: (JSON.parse(text) as CORSConfiguration).CORSRules };
      },
      resources: bucketResources,
    },
    DeleteBucketCors: {
      readOnly: false,
      // no s3:DeleteBucketCORS: deleting is s3:PutBucketCORS (Service Authorization Reference, S3 table)
      authorize: target(objects, 's3:PutBucketCORS'),
      async handler(input): Promise<Output<'DeleteBucketCors'>> {
        await store(objects.putBucketConfig(input.Bucket, 'cors', undefined), { bucket: input.Bucket });
        return {};
      },
      resources: bucketResources,
    },
  };
}

type EdgeRequest = { method: string; rawPath: string; rawQuery: string; headers: Record<string, string | string[] | undefined> };
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

function corsError(
  status: number,
  code: string,
  message: string,
  extra: Record<string, string> = {},
): { status: number; headers: Record<string, string>; body: string } {
  const details = Object.entries(extra)
    .map(([k, v]) => `<${k}>${xmlText(v)}</${k}>`)
    .join('');
  const requestId = randomUUID();
  return {
    status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
    body: `${XML_DECLARATION}<Error><Code>${code}</Code><Message>${xmlText(message)}</Message>${details}<RequestId>${requestId}</RequestId><HostId>${randomBytes(24).toString('base64')}</HostId></Error>`,
  };
}

/**
 * A CORS preflight: an unsigned `OPTIONS` on a bucket or object (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTOPTIONSobject.html),
 * answered at the HTTP edge and never an API call (CloudTrail records none). Origin and
 * Access-Control-Request-Method are required (400 BadRequest); a matching rule answers 200 with the
 * Access-Control-* headers; no rule, no CORS configuration or no bucket answer 403 AccessForbidden.
 * undefined: not a preflight (another route takes it).
 */
export async function preflight(
  objects: ObjectStore,
  req: EdgeRequest,
): Promise<{ status: number; headers: Record<string, string>; body: string } | undefined> {
  if (req.method !== 'OPTIONS') return undefined;
  const path = req.rawPath.replace(/^\//, '');
  if (path === '') return undefined;
  const slash = path.indexOf('/');
  let bucket: string;
  try {
    bucket = decodeURIComponent(slash < 0 ? path : path.slice(0, slash));
  } catch {
    return undefined;
  }
  const resourceType = slash < 0 || slash === path.length - 1 ? 'BUCKET' : 'OBJECT';
  const origin = first(req.headers.origin);
  const method = first(req.headers['access-control-request-method']);
  if (!origin) return corsError(400, 'BadRequest', 'Insufficient information. Origin request header needed.');
  if (!method) return corsError(400, 'BadRequest', 'Invalid Access-Control-Request-Method: null');
  const requested = (first(req.headers['access-control-request-headers']) ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const where = { Method: method, ResourceType: resourceType };
  if (!isValidBucketName(bucket) || !(await objects.getBucket(bucket).catch(() => undefined))) {
    return corsError(403, 'AccessForbidden', 'CORSResponse: Bucket not found', where);
  }
  const config = await corsOf(objects, bucket);
  if (!config) return corsError(403, 'AccessForbidden', 'CORSResponse: CORS is not enabled for this bucket.', where);
  const rule = matchRule(config, origin, method, requested);
  if (!rule) {
    return corsError(
      403,
      'AccessForbidden',
      "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
      where,
    );
  }
  return { status: 200, headers: { ...corsHeaders(rule, origin, requested), 'x-amz-request-id': randomUUID() }, body: '' };
}

/** The CORS headers of an actual request with an Origin that a rule of the bucket allows (its method); none otherwise. */
export async function corsResponseHeaders(objects: ObjectStore, req: EdgeRequest): Promise<Record<string, string>> {
  const origin = first(req.headers.origin);
  if (!origin) return {};
  const bucket = bucketOfPath(req.rawPath);
  if (!bucket) return {};
  const config = await corsOf(objects, bucket);
  const rule = config && matchRule(config, origin, req.method);
  if (!rule) return {};
  return corsHeaders(rule, origin);
}
