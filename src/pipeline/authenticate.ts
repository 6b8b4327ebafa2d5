/**
 * Step 2: SigV4 verification and the caller's identity. 2a reads the credential (header or presigned
 * query); 2b checks its scope and clock skew, finds the key's secret and verifies the signature in
 * constant time. Every failure is spelled by the call's protocol from its kind (src/auth/sigv4/errors.ts),
 * with AWS's messages (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html).
 */
import { authenticate as authenticateKey } from '../auth/authenticate.ts';
import type { Principal } from '../auth/principal.ts';
import { checkRequestTime, parseSigV4, SigV4Error, verifySignature } from '../auth/sigv4/index.ts';
import type { WireProtocol } from '../protocol/wire.ts';
import type { Store } from '../store/types.ts';
import type { Credential, HttpRequest, Target } from './call.ts';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Runs a step of the verifier, its SigV4 failures spelled by `wire`. */
async function verifying<T>(wire: WireProtocol, step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    throw e instanceof SigV4Error ? wire.errors.sigv4(e) : e;
  }
}

/** 2a: the credential the request carries; from here on the call is recorded under its key. */
export function readCredential(req: HttpRequest, target: Target): Credential {
  let auth: ReturnType<typeof parseSigV4>;
  try {
    auth = parseSigV4(req);
  } catch (e) {
    throw e instanceof SigV4Error ? target.wire.errors.sigv4(e) : e;
  }
  return { auth, region: !target.service.global && REGION.test(auth.region) ? auth.region : 'us-east-1' };
}

/** 2b: the principal the verified credential stands for. */
export async function authenticate(req: HttpRequest, target: Target, { auth }: Credential, store: Store, now: Date): Promise<Principal> {
  const { service, wire } = target;
  const scope = (message: string) => wire.errors.sigv4(new SigV4Error('scope', message));
  if (auth.service !== service.name) throw scope(`Credential should be scoped to correct service: '${service.name}'. `);
  const wrongRegion = await service.scopeRegionError?.(req, auth.region);
  if (wrongRegion) throw wrongRegion;
  if ((!service.scopeRegionError && !REGION.test(auth.region)) || (service.name === 'iam' && auth.region !== 'us-east-1')) {
    throw scope(`Credential should be scoped to a valid region, not '${auth.region}'. `);
  }
  await verifying(wire, () => checkRequestTime(auth, now));
  const { principal, secretAccessKey } = await authenticateKey(store, auth.accessKeyId, auth.securityToken, now, wire.errors);
  await verifying(wire, () => verifySignature(req, auth, secretAccessKey, { s3: service.name === 's3' }));
  return principal;
}
