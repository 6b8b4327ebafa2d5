/** Issuing temporary credentials: ASIA keys with session tokens and an expiry (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_request.html). */
import type { OperationContext } from '../types.ts';
import type { Session } from '../../store/types.ts';
import { policyDocument } from '../../auth/authorize.ts';
import { parsePolicy, PolicyDocumentError } from '../../auth/policy/index.ts';
import { malformedPolicy, packedPolicyTooLarge } from './errors.ts';

export interface Credentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: Date;
}

/** Resolves inline + managed session policies to documents; enforces the 2048-character packed limit. */
export async function sessionPolicies(
  ctx: OperationContext,
  policy: string | undefined,
  arns: { arn?: string }[] | undefined,
): Promise<{ docs?: string[]; packedPercent?: number }> {
  if (policy === undefined && !arns?.length) return {};
  const docs: string[] = [];
  let size = 0;
  if (policy !== undefined) {
    try {
      parsePolicy(policy, 'session');
    } catch (e) {
      throw malformedPolicy(e instanceof PolicyDocumentError ? e.message : 'Syntax errors in policy.');
    }
    docs.push(policy);
    size += policy.replace(/\s+/g, '').length;
  }
  for (const { arn } of arns ?? []) {
    const text = arn ? await policyDocument(ctx.store, arn) : undefined;
    if (!text) throw malformedPolicy(`Policy ${arn} does not exist or is not attachable.`);
    docs.push(text);
    size += (arn ?? '').length;
  }
  if (size > 2048) throw packedPolicyTooLarge();
  return { docs, packedPercent: Math.max(1, Math.ceil((size / 2048) * 100)) };
}

export async function issue(
  ctx: OperationContext,
  durationSeconds: number,
  s: Omit<Session, 'accessKeyId' | 'secretAccessKey' | 'sessionToken' | 'expiration' | 'createDate'>,
): Promise<Credentials> {
  const now = ctx.now;
  const session: Session = {
    ...s,
    accessKeyId: ctx.ids.accessKeyId('ASIA'),
    secretAccessKey: ctx.ids.secretAccessKey(),
    sessionToken: ctx.ids.sessionToken(),
    createDate: now,
    expiration: new Date(Math.floor(now.getTime() / 1000) * 1000 + durationSeconds * 1000),
  };
  await ctx.store.identities.putSession(session);
  return { AccessKeyId: session.accessKeyId, SecretAccessKey: session.secretAccessKey, SessionToken: session.sessionToken, Expiration: session.expiration };
}
