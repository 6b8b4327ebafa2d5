/** STS operations (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_request.html): who may call what, durations, session policies. */
import { assumedRoleArn, federatedUserArn, type Principal } from '../../auth/principal.ts';
import { AwsError } from '../../errors/aws-error.ts';
import type { OperationDefs } from '../types.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { issue, sessionPolicies } from './credentials.ts';
import { chainedDurationTooLong, durationTooLong, rootCannotAssume, sessionCredentialsRefused } from './errors.ts';

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/;
/**
 * The trust policy of a role that does not exist: it trusts no principal, so assuming it is refused
 * with the same AccessDenied as an untrusted caller gets, as AWS answers for a missing role
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_roles.html). IAM refuses an empty
 * Statement list, so the one statement names a principal no caller can be.
 */
const NO_TRUST = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"no-principal.invalid"},"Action":"sts:AssumeRole"}]}';

function roleName(arn: string): string | undefined {
  return ROLE_ARN.exec(arn)?.[2];
}

/** The account a RoleArn names: the role is looked up there (docs/accounts.md#cross-account-access). */
function roleAccount(arn: string): string | undefined {
  return ROLE_ARN.exec(arn)?.[1];
}

/** Long-term credentials only: user or root (GetSessionToken credentials count as session credentials). */
function requireLongTerm(p: Principal, op: string): void {
  if (p.session) throw sessionCredentialsRefused(op);
}

export const handlers = {
  GetCallerIdentity: {
    readOnly: true,
    authorize: () => 'none',
    handler: async (_, ctx): Promise<Output<'GetCallerIdentity'>> => ({
      UserId: ctx.principal.principalId,
      Account: ctx.principal.accountId,
      Arn: ctx.principal.arn,
    }),
  },

  AssumeRole: {
    readOnly: true,
    async authorize(input, ctx) {
      if (ctx.principal.type === 'Root' && !ctx.principal.session) throw rootCannotAssume();
      if (ctx.principal.type === 'FederatedUser') throw sessionCredentialsRefused('AssumeRole');
      const name = roleName(input.RoleArn ?? '');
      const account = roleAccount(input.RoleArn ?? '');
      const role = name && account ? await ctx.store.forAccount(account).identities.getRole(name) : undefined;
      const trust = role && role.arn === input.RoleArn ? role.assumeRolePolicyDocument : NO_TRUST;
      // before validation RoleArn may be missing: it is authorized as sent, and validation then refuses the call
      return {
        resource: input.RoleArn as string,
        ...(account ? { resourceAccount: account } : {}),
        resourcePolicy: trust,
        trustPolicy: true,
        keys: { 'sts:RoleSessionName': input.RoleSessionName, 'sts:ExternalId': input.ExternalId, 'sts:SourceIdentity': input.SourceIdentity },
      };
    },
    async handler(input, ctx): Promise<Output<'AssumeRole'>> {
      // the session belongs to the role's account: calls made with it act there
      const account = roleAccount(input.RoleArn)!;
      const roleStore = ctx.store.forAccount(account);
      const role = (await roleStore.identities.getRole(roleName(input.RoleArn)!))!;
      const chained = ctx.principal.type === 'AssumedRole';
      const duration = input.DurationSeconds ?? 3600;
      if (chained && duration > 3600) throw chainedDurationTooLong();
      if (duration > role.maxSessionDuration) throw durationTooLong(role.maxSessionDuration);
      const { docs, packedPercent } = await sessionPolicies({ ...ctx, store: roleStore }, input.Policy, input.PolicyArns);
      const sourceIdentity = ctx.principal.session?.sourceIdentity ?? input.SourceIdentity;
      const creds = await issue({ ...ctx, store: roleStore }, duration, {
        kind: 'role',
        sourceName: role.roleName,
        sourceId: role.roleId,
        sessionName: input.RoleSessionName,
        sessionPolicies: docs,
        mfaAuthenticated: false,
        chained,
        ...(sourceIdentity ? { sourceIdentity } : {}),
      });
      return {
        Credentials: creds,
        AssumedRoleUser: { AssumedRoleId: `${role.roleId}:${input.RoleSessionName}`, Arn: assumedRoleArn(account, role.roleName, input.RoleSessionName) },
        PackedPolicySize: packedPercent,
        ...(sourceIdentity ? { SourceIdentity: sourceIdentity } : {}),
      };
    },
    resources: (input, _out: unknown, ctx) => [{ accountId: roleAccount(input.RoleArn) ?? ctx.accountId, type: 'AWS::IAM::Role', ARN: input.RoleArn }],
  },

  GetSessionToken: {
    readOnly: true,
    authorize: () => 'none',
    async handler(input, ctx): Promise<Output<'GetSessionToken'>> {
      const p = ctx.principal;
      requireLongTerm(p, 'GetSessionToken');
      if (p.type !== 'IAMUser' && p.type !== 'Root') throw sessionCredentialsRefused('GetSessionToken');
      const isRoot = p.type === 'Root';
      const duration = Math.min(input.DurationSeconds ?? (isRoot ? 3600 : 43200), isRoot ? 3600 : 129600);
      if (input.SerialNumber !== undefined || input.TokenCode !== undefined) {
        throw new AwsError(
          'AccessDenied',
          'MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user.',
          403,
        );
      }
      return {
        Credentials: await issue(ctx, duration, {
          // the console's sign-in gets a console session: IAM refuses GetSessionToken credentials without MFA, not those
          kind: ctx.consoleSignIn ? 'console' : 'session',
          sourceName: isRoot ? null : p.userName!,
          ...(isRoot ? {} : { sourceId: p.principalId }),
          mfaAuthenticated: false,
        }),
      };
    },
  },

  GetFederationToken: {
    readOnly: false,
    authorize: (input, ctx) => {
      requireLongTerm(ctx.principal, 'GetFederationToken');
      if (ctx.principal.type !== 'IAMUser' && ctx.principal.type !== 'Root') throw sessionCredentialsRefused('GetFederationToken');
      return { resource: federatedUserArn(ctx.accountId, input.Name ?? '') };
    },
    async handler(input, ctx): Promise<Output<'GetFederationToken'>> {
      const p = ctx.principal;
      const isRoot = p.type === 'Root';
      const duration = Math.min(input.DurationSeconds ?? (isRoot ? 3600 : 43200), isRoot ? 3600 : 129600);
      const { docs, packedPercent } = await sessionPolicies(ctx, input.Policy, input.PolicyArns);
      const creds = await issue(ctx, duration, {
        kind: 'federated',
        sourceName: isRoot ? null : p.userName!,
        ...(isRoot ? {} : { sourceId: p.principalId }),
        sessionName: input.Name,
        sessionPolicies: docs,
        mfaAuthenticated: false,
      });
      return {
        Credentials: creds,
        FederatedUser: { FederatedUserId: `${ctx.accountId}:${input.Name}`, Arn: federatedUserArn(ctx.accountId, input.Name) },
        PackedPolicySize: packedPercent,
      };
    },
  },
} satisfies OperationDefs<Ops, 'GetCallerIdentity' | 'AssumeRole' | 'GetSessionToken' | 'GetFederationToken'>;
