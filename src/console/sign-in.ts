/**
 * Console sign-in with an access key pair (root or IAM user). The keys are used for exactly one call:
 * an STS GetSessionToken signed with them and flagged as the console's sign-in, so the pipeline
 * verifies the signature and records the attempt as ConsoleLogin (Success or Failure, eventType
 * AwsConsoleSignIn). The session credentials it returns are what the console acts with from then on;
 * the typed secret is dropped. A GetCallerIdentity with the new credentials names the person.
 */
import { ApiError, callSts, type Caller } from './client.ts';
import type { ConsoleIdentity } from './sessions.ts';

export interface SignInResult {
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  expiresAt: number;
  identity: ConsoleIdentity;
}

/** What a failed sign-in shows: AWS's console words, whatever the cause, so keys cannot be probed. */
const SIGN_IN_FAILED = 'Your authentication information is incorrect. Please try again.';

/** Key ids the pipeline can record (its claimed-key parser takes letters and digits). */
const KEY_ID = /^[A-Za-z0-9]{1,128}$/;

type Base = Omit<Caller, 'credentials' | 'console'>;

/** `base.userAgent` is the browser's (ConsoleLogin records it, as AWS does); `consoleAgent` the console's. */
export async function signIn(base: Base, loginTo: string, consoleAgent: string, accessKeyId: unknown, secretAccessKey: unknown): Promise<SignInResult> {
  if (typeof accessKeyId !== 'string' || typeof secretAccessKey !== 'string' || !KEY_ID.test(accessKeyId.trim()) || secretAccessKey.length > 256) {
    throw new ApiError(401, 'SignInFailed', SIGN_IN_FAILED);
  }
  let issued: Record<string, any>;
  try {
    issued = await callSts({ ...base, credentials: { accessKeyId: accessKeyId.trim(), secretAccessKey }, console: { signIn: { loginTo } } }, 'GetSessionToken');
  } catch (e) {
    if (e instanceof ApiError && e.status < 500) throw new ApiError(401, 'SignInFailed', SIGN_IN_FAILED);
    throw e;
  }
  const c = issued.Credentials ?? {};
  const credentials = { accessKeyId: String(c.AccessKeyId), secretAccessKey: String(c.SecretAccessKey), sessionToken: String(c.SessionToken) };
  const me = await callSts({ ...base, userAgent: consoleAgent, credentials, console: {} }, 'GetCallerIdentity');
  return { credentials, expiresAt: Date.parse(String(c.Expiration)), identity: identityOf(String(me.Arn), String(me.Account), String(me.UserId)) };
}

/** Root or IAM user, and the name the console greets: the user name, or "root". */
function identityOf(arn: string, accountId: string, userId: string): ConsoleIdentity {
  if (arn.endsWith(':root')) return { arn, accountId, userId, type: 'Root', userName: 'root' };
  const user = /:user\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (user) return { arn, accountId, userId, type: 'IAMUser', userName: user[1]! };
  return { arn, accountId, userId, type: 'Unknown', userName: arn.slice(arn.lastIndexOf('/') + 1) };
}
