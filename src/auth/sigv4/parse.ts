/** Parses a SigV4 credential from the Authorization header or presigned X-Amz-* query (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html). */
import { ALGORITHM_IDENTIFIER } from '@smithy/signature-v4';
import { incomplete, MISSING_MESSAGE, SigV4Error } from './errors.ts';
import { badAmzDate, formatAmzDate, parseAmzDate } from './time.ts';
import type { SignedRequest, SigV4Auth } from './types.ts';
import { first, parseQuery, type QueryBag } from './wire.ts';

const MAX_EXPIRES_SECONDS = 604_800;
const QUERY_REQUIRED =
  'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.';
const HOST_NOT_SIGNED = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.";

type Scope = Pick<SigV4Auth, 'accessKeyId' | 'scopeDate' | 'region' | 'service'>;

/** Throws SigV4Error 'missing' (no credential at all) or 'incomplete' (malformed). */
export function parseSigV4(req: SignedRequest): SigV4Auth {
  const query = parseQuery(req.rawQuery);
  const authorization = first(req.headers['authorization']);
  const inQuery = query['X-Amz-Algorithm'] !== undefined || query['X-Amz-Credential'] !== undefined;
  if (authorization !== undefined && authorization.trim() !== '') {
    if (inQuery) {
      throw incomplete(
        'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
      );
    }
    return fromHeader(req, authorization.trim(), query);
  }
  if (inQuery) return fromQuery(req, query);
  throw new SigV4Error('missing', MISSING_MESSAGE);
}

function fromHeader(req: SignedRequest, authorization: string, query: QueryBag): SigV4Auth {
  const amzDate = first(req.headers['x-amz-date']);
  const dateHeader = first(req.headers['date']);
  const [algorithm = '', ...tokens] = authorization.split(/[\s,]+/).filter((t) => t !== '');
  const params = new Map<string, string>();
  if (algorithm === ALGORITHM_IDENTIFIER) {
    for (const token of tokens) {
      const eq = token.indexOf('=');
      if (eq < 0) throw incomplete(`'${token}' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization}'.`);
      params.set(token.slice(0, eq), token.slice(eq + 1));
    }
  }
  const problems = ['Credential', 'Signature', 'SignedHeaders']
    .filter((name) => !params.get(name))
    .map((name) => `Authorization header requires '${name}' parameter.`);
  if (amzDate === undefined && dateHeader === undefined) {
    problems.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (problems.length > 0) throw incomplete(`${problems.join(' ')} Authorization=${authorization}`);

  const scope = parseCredential(params.get('Credential') ?? '');
  const signedHeaders = parseSignedHeaders(params.get('SignedHeaders') ?? '');
  if (!signedHeaders.includes('host')) throw incomplete(HOST_NOT_SIGNED);
  let requestTime: Date | undefined;
  if (amzDate !== undefined) {
    if (!signedHeaders.includes('x-amz-date')) throw incomplete("'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.");
    requestTime = parseAmzDate(amzDate);
    if (!requestTime) throw badAmzDate(amzDate);
  } else {
    if (!signedHeaders.includes('date')) throw incomplete("'Date' must be a 'SignedHeader' in the AWS Authorization.");
    requestTime = new Date(dateHeader ?? '');
    if (Number.isNaN(requestTime.getTime())) throw incomplete(`Date must be an RFC 1123 date or ISO-8601 'basic format'. Got '${dateHeader}'.`);
  }
  const securityToken = first(req.headers['x-amz-security-token']) ?? first(query['X-Amz-Security-Token']);
  return {
    kind: 'header',
    ...scope,
    signedHeaders,
    signature: params.get('Signature') ?? '',
    requestTime,
    amzDate: amzDate ?? formatAmzDate(requestTime),
    ...(securityToken !== undefined ? { securityToken } : {}),
  };
}

function fromQuery(req: SignedRequest, query: QueryBag): SigV4Auth {
  const need = (name: string): string => {
    const v = first(query[name]);
    if (v === undefined || v === '') throw incomplete(QUERY_REQUIRED);
    return v;
  };
  const [algorithm, credential, amzDate, signedHeaderList, signature, expires] = [
    'X-Amz-Algorithm',
    'X-Amz-Credential',
    'X-Amz-Date',
    'X-Amz-SignedHeaders',
    'X-Amz-Signature',
    'X-Amz-Expires',
  ].map(need) as [string, string, string, string, string, string];
  if (algorithm !== ALGORITHM_IDENTIFIER) throw incomplete(`X-Amz-Algorithm only supports "${ALGORITHM_IDENTIFIER}"`);
  const scope = parseCredential(credential);
  const signedHeaders = parseSignedHeaders(signedHeaderList);
  if (!signedHeaders.includes('host')) throw incomplete(HOST_NOT_SIGNED);
  const requestTime = parseAmzDate(amzDate);
  if (!requestTime) throw badAmzDate(amzDate);
  if (!/^\d+$/.test(expires)) throw incomplete(`X-Amz-Expires should be a number, not '${expires}'.`);
  const expiresSeconds = Number(expires);
  if (expiresSeconds > MAX_EXPIRES_SECONDS) throw incomplete(`X-Amz-Expires must be less than a week (in seconds) that is ${MAX_EXPIRES_SECONDS}`);
  const securityToken = first(query['X-Amz-Security-Token']) ?? first(req.headers['x-amz-security-token']);
  return {
    kind: 'query',
    ...scope,
    signedHeaders,
    signature,
    requestTime,
    amzDate,
    ...(securityToken !== undefined ? { securityToken } : {}),
    expiresSeconds,
  };
}

/** `<AKID>/<yyyymmdd>/<region>/<service>/aws4_request`; checking region/service values is the pipeline's job. */
function parseCredential(credential: string): Scope {
  const parts = credential.split('/');
  const [accessKeyId = '', scopeDate = '', region = '', service = '', terminator = ''] = parts;
  if (parts.length !== 5 || !accessKeyId || !region || !service) {
    throw incomplete(`Credential is malformed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request", got '${credential}'.`);
  }
  if (!/^\d{8}$/.test(scopeDate)) throw incomplete(`Credential should be scoped to a valid date in YYYYMMDD format, not '${scopeDate}'.`);
  if (terminator !== 'aws4_request') throw incomplete(`Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`);
  return { accessKeyId, scopeDate, region, service };
}

function parseSignedHeaders(list: string): string[] {
  const names = list.split(';').map((n) => n.trim().toLowerCase());
  if (names.some((n) => n === '')) throw incomplete(`SignedHeaders is malformed: '${list}'.`);
  return names;
}
