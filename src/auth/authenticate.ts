/**
 * Authentication: from a verified-to-be-well-formed SigV4 credential to a Principal and the secret
 * to check the signature with. AKIA keys are long-term keys of root or an IAM user; ASIA keys are
 * STS sessions and need their session token (docs/architecture.md#request-path).
 */
import type { CommonErrors } from '../protocol/wire.ts';
import { sessionTokenMatches } from '../store/identities.ts';
import type { Store } from '../store/types.ts';
import { assumedRoleArn, federatedUserArn, rootArn, type Principal } from './principal.ts';

export interface Authenticated {
  principal: Principal;
  secretAccessKey: string;
}

/** An unknown or inactive key, or expired session credentials, as the call's protocol spells them. */
export type AuthenticationErrors = Pick<CommonErrors, 'unrecognizedClient' | 'expiredToken'>;

/**
 * The call's account is its credentials' account (docs/accounts.md#calls): the key's or the session's.
 * Keys and sessions are looked up globally; the user, role and session policies in that account.
 */
export async function authenticate(
  store: Store,
  accessKeyId: string,
  securityToken: string | undefined,
  now: Date,
  errors: AuthenticationErrors,
): Promise<Authenticated> {
  const unrecognizedClient = () => errors.unrecognizedClient(accessKeyId);
  if (accessKeyId.startsWith('ASIA')) {
    const s = await store.identities.getSession(accessKeyId);
    if (!s || !securityToken || !sessionTokenMatches(s.sessionToken, securityToken)) throw unrecognizedClient();
    if (s.expiration.getTime() <= now.getTime()) throw errors.expiredToken();
    const accountId = s.accountId ?? store.accountId;
    const ids = store.forAccount(accountId).identities;
    const attrsUser = s.sourceName === null ? undefined : await ids.getUser(s.sourceName);
    if (s.kind === 'role') {
      const role = await ids.getRole(s.sourceName ?? '');
      if (!role || (s.sourceId && s.sourceId !== role.roleId)) throw unrecognizedClient();
      return {
        secretAccessKey: s.secretAccessKey,
        principal: {
          type: 'AssumedRole',
          accountId,
          arn: assumedRoleArn(accountId, role.roleName, s.sessionName!),
          principalId: `${role.roleId}:${s.sessionName}`,
          accessKeyId,
          session: s,
          displayName: s.sessionName!,
          issuer: { type: 'Role', principalId: role.roleId, arn: role.arn, accountId, userName: role.roleName },
        },
      };
    }
    if (s.sourceName !== null && (!attrsUser || (s.sourceId && s.sourceId !== attrsUser.userId))) throw unrecognizedClient();
    if (s.kind === 'federated') {
      const issuer = attrsUser
        ? { type: 'IAMUser' as const, principalId: attrsUser.userId, arn: attrsUser.arn, accountId, userName: attrsUser.userName }
        : { type: 'Root' as const, principalId: accountId, arn: rootArn(accountId), accountId };
      return {
        secretAccessKey: s.secretAccessKey,
        principal: {
          type: 'FederatedUser',
          accountId,
          arn: federatedUserArn(accountId, s.sessionName!),
          principalId: `${accountId}:${s.sessionName}`,
          accessKeyId,
          session: s,
          issuer,
          displayName: s.sessionName!,
        },
      };
    }
    // GetSessionToken: the same user (or root), now with session credentials.
    return {
      secretAccessKey: s.secretAccessKey,
      principal: attrsUser
        ? {
            type: 'IAMUser',
            accountId,
            arn: attrsUser.arn,
            principalId: attrsUser.userId,
            accessKeyId,
            userName: attrsUser.userName,
            session: s,
            displayName: attrsUser.userName,
          }
        : { type: 'Root', accountId, arn: rootArn(accountId), principalId: accountId, accessKeyId, session: s, displayName: 'root' },
    };
  }
  const key = await store.identities.getAccessKey(accessKeyId);
  if (key?.status !== 'Active') throw unrecognizedClient();
  const accountId = key.accountId ?? store.accountId;
  const ids = store.forAccount(accountId).identities;
  if (key.userName === null) {
    return {
      secretAccessKey: key.secretAccessKey,
      principal: { type: 'Root', accountId, arn: rootArn(accountId), principalId: accountId, accessKeyId, displayName: 'root' },
    };
  }
  const user = await ids.getUser(key.userName);
  if (!user) throw unrecognizedClient();
  return {
    secretAccessKey: key.secretAccessKey,
    principal: { type: 'IAMUser', accountId, arn: user.arn, principalId: user.userId, accessKeyId, userName: user.userName, displayName: user.userName },
  };
}
