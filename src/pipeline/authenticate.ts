/**
 * Step 2: SigV4 verification and the caller's identity. Parses the credential (header or presigned
 * query), checks scope and clock skew, finds the key's secret, verifies the signature in constant
 * time. Errors use each protocol's codes and AWS's messages (spec cloudtrail-codestar §h).
 */
import { authenticate } from '../auth/authenticate.ts';
import { checkRequestTime, parseSigV4, SigV4Error, verifySignature, type SigV4Auth } from '../auth/sigv4/index.ts';
import { AwsError, type Protocol } from '../errors/aws-error.ts';
import type { Store } from '../store/types.ts';
import type { Call, HttpRequest, Target } from './call.ts';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export function sigv4Error(protocol: Protocol, e: SigV4Error): AwsError {
  const json = protocol === 'json';
  switch (e.kind) {
    case 'missing':
      return json
        ? new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403)
        : new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
    case 'incomplete':
      return new AwsError(json ? 'IncompleteSignatureException' : 'IncompleteSignature', e.message, 400);
    default:
      return json ? new AwsError('InvalidSignatureException', e.message, 400) : new AwsError('SignatureDoesNotMatch', e.message, 403);
  }
}

export async function authenticateCall(req: HttpRequest, target: Target, call: Call, store: Store, accountId: string, now: Date): Promise<void> {
  const { protocol, service } = target;
  let auth: SigV4Auth;
  try {
    auth = parseSigV4({ method: req.method, rawPath: req.rawPath, rawQuery: req.rawQuery, headers: req.headers, body: req.body });
  } catch (e) {
    if (e instanceof SigV4Error) throw sigv4Error(protocol, e);
    throw e;
  }
  call.claimedAccessKeyId = auth.accessKeyId;
  if (!service.global) call.region = REGION.test(auth.region) ? auth.region : call.region;
  const scopeError = (message: string) => (protocol === 'json' ? new AwsError('InvalidSignatureException', message, 400) : new AwsError('SignatureDoesNotMatch', message, 403));
  if (auth.service !== service.name) throw scopeError(`Credential should be scoped to correct service: '${service.name}'. `);
  if (!REGION.test(auth.region) || (service.name === 'iam' && auth.region !== 'us-east-1')) {
    throw scopeError(`Credential should be scoped to a valid region, not '${auth.region}'. `);
  }
  try {
    checkRequestTime(auth, now);
  } catch (e) {
    if (e instanceof SigV4Error) throw sigv4Error(protocol, e);
    throw e;
  }
  const { principal, secretAccessKey } = await authenticate(store, accountId, auth.accessKeyId, auth.securityToken, now, protocol);
  try {
    await verifySignature({ method: req.method, rawPath: req.rawPath, rawQuery: req.rawQuery, headers: req.headers, body: req.body }, auth, secretAccessKey, { s3: service.name === 's3' });
  } catch (e) {
    if (e instanceof SigV4Error) throw sigv4Error(protocol, e);
    throw e;
  }
  call.principal = principal;
}
