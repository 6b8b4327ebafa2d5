/**
 * The console as an API client (README.md#configuration: "a client of the same pipeline"): builds the AWS request
 * a person's action stands for, signs it with SigV4 (@smithy/signature-v4, the SDK's own signer) and
 * hands it to the pipeline's handle(), which authenticates, authorizes and audits it like any call.
 * JSON 1.1 services (CodeStar, CloudTrail) take any operation; STS and IAM (Query) only what the console uses.
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { XMLParser } from 'fast-xml-parser';
import type { ConsoleCall } from '../audit/observer.ts';
import type { HttpRequest, HttpResponse } from '../pipeline/call.ts';
import { TARGET_PREFIX as CLOUDTRAIL_TARGET } from '../services/cloudtrail/model.generated.ts';
import { TARGET_PREFIX as CODESTAR_TARGET } from '../services/codestar/model.generated.ts';

export interface ConsoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Who the call is made for and where it came from: the browser's address and agent. */
export interface Caller {
  api: (req: HttpRequest) => Promise<HttpResponse>;
  credentials: ConsoleCredentials;
  region: string;
  remoteAddress: string;
  /** the browser request's X-Forwarded-For, passed on; the pipeline trusts it only from a trusted proxy */
  forwardedFor?: string;
  userAgent: string;
  console: ConsoleCall;
}

/** An AWS error as the pipeline returned it: status, wire code and AWS's message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** X-Amz-Target prefixes of the JSON services the console calls, from their models. */
export const JSON_TARGETS: Record<string, string> = {
  codestar: CODESTAR_TARGET,
  cloudtrail: CLOUDTRAIL_TARGET,
};

const HOST = 'startrail.console';
const xml = new XMLParser({ parseTagValue: false, ignoreAttributes: true });

async function send(c: Caller, service: string, headers: Record<string, string>, body: string): Promise<HttpResponse> {
  const signer = new SignatureV4({
    service,
    // STS and IAM are global: signed for us-east-1 whatever Region the page shows
    region: service === 'sts' || service === 'iam' ? 'us-east-1' : c.region,
    credentials: c.credentials,
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: HOST, path: '/', query: {}, headers: { host: HOST, ...headers }, body });
  const all: Record<string, string> = { ...signed.headers, 'user-agent': c.userAgent };
  if (c.forwardedFor) all['x-forwarded-for'] = c.forwardedFor;
  return c.api({ method: 'POST', rawPath: '/', rawQuery: '', headers: all, body: Buffer.from(body), remoteAddress: c.remoteAddress, console: c.console });
}

/** One JSON 1.1 call; returns the output object or throws ApiError with AWS's code and message. */
export async function callJson(c: Caller, service: string, operation: string, input: unknown): Promise<Record<string, unknown>> {
  const prefix = JSON_TARGETS[service];
  if (!prefix) throw new ApiError(400, 'UnknownServiceException', `The console does not call ${service}`);
  const r = await send(c, service, { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${prefix}.${operation}` }, JSON.stringify(input ?? {}));
  const text = typeof r.body === 'string' ? r.body : r.body.toString('utf8');
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    /* not JSON: handled below */
  }
  if (r.status === 200) return parsed;
  const type = String(parsed.__type ?? 'InternalFailure');
  throw new ApiError(r.status, type.slice(type.lastIndexOf('#') + 1), String(parsed.message ?? parsed.Message ?? ''));
}

/** The IAM reads the profile page makes (the user's groups and effective policies): read-only, nothing else of IAM. */
export const IAM_READS: ReadonlySet<string> = new Set([
  'GetUser',
  'ListGroupsForUser',
  'ListUserPolicies',
  'ListAttachedUserPolicies',
  'ListGroupPolicies',
  'ListAttachedGroupPolicies',
]);

/** One STS Query call; returns the `<Action>Result` element as plain strings. */
export async function callSts(c: Caller, action: 'GetCallerIdentity' | 'GetSessionToken', params: Record<string, string> = {}): Promise<Record<string, any>> {
  return callQuery(c, 'sts', '2011-06-15', action, params);
}

/** One IAM Query call of IAM_READS; returns the `<Action>Result` element, its `<member>` lists as arrays. */
export async function callIam(c: Caller, action: string, params: Record<string, string>): Promise<Record<string, any>> {
  if (!IAM_READS.has(action)) throw new ApiError(400, 'UnknownOperationException', `The console does not call iam:${action}`);
  return lists(await callQuery(c, 'iam', '2010-05-08', action, params)) as Record<string, any>;
}

async function callQuery(c: Caller, service: 'sts' | 'iam', version: string, action: string, params: Record<string, string>): Promise<Record<string, any>> {
  const body = new URLSearchParams({ ...params, Action: action, Version: version }).toString();
  const r = await send(c, service, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body);
  const doc = xml.parse(typeof r.body === 'string' ? r.body : r.body.toString('utf8'));
  if (r.status === 200) return doc?.[`${action}Response`]?.[`${action}Result`] ?? {};
  const e = doc?.ErrorResponse?.Error ?? {};
  throw new ApiError(r.status, String(e.Code ?? 'InternalFailure'), String(e.Message ?? ''));
}

/**
 * AWS Query lists are `<Name><member>…</member>…</Name>` (https://smithy.io/2.0/aws/protocols/aws-query-protocol.html):
 * an element holding only `member` children becomes an array of them; an empty list element (parsed as '') stays ''.
 */
export function lists(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(lists);
  if (!v || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === 'member') return ([] as unknown[]).concat(o.member).map(lists);
  return Object.fromEntries(keys.map((k) => [k, lists(o[k])]));
}
