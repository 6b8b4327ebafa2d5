/**
 * What each IAM call is authorized on (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html) and which credentials may call IAM at all (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getsessiontoken.html):
 * GetSessionToken credentials without MFA get InvalidClientTokenId (the web console's sessions, issued at its sign-in, are
 * console sessions, which IAM accepts as AWS's console sessions), federated users AccessDenied.
 * Every operation's `authorize` is built here, so these checks run for every IAM call a client makes.
 */
import { rootArn, roleArn, userArn } from '../../auth/principal.ts';
import { groupArn } from './group-lookup.ts';
import type { AuthorizationTarget, OperationContext } from '../types.ts';
import { federatedDenied, invalidClientTokenId, mustSpecifyUserName } from './errors.ts';

type Keys = AuthorizationTarget['keys'];

/** Refuses credentials IAM never accepts, before any policy is looked at. */
export function checkCallerCredentials(ctx: OperationContext, action: string, resource: string): void {
  const p = ctx.principal;
  if (p.session?.kind === 'session' && !p.session.mfaAuthenticated) throw invalidClientTokenId();
  if (p.type === 'FederatedUser') throw federatedDenied(p.arn, action, resource);
}

/** `authorize` for an operation: the resource (and condition keys) from the input, after the credential checks. */
export function on<I>(
  operation: string,
  resource: (input: I, ctx: OperationContext) => string | string[] | Promise<string | string[]>,
  keys?: (input: NoInfer<I>) => Keys,
) {
  return async (input: I, ctx: OperationContext): Promise<AuthorizationTarget> => {
    const action = `iam:${operation}`;
    // A federated caller is refused whatever it names; only the message's resource comes from the input.
    const arn =
      ctx.principal.type === 'FederatedUser'
        ? await Promise.resolve()
            .then(() => resource(input, ctx))
            .catch(() => '*')
        : await resource(input, ctx);
    const first = Array.isArray(arn) ? (arn[0] ?? '*') : arn;
    checkCallerCredentials(ctx, action, first);
    const k = { ...(await resourceTags(ctx, first)), ...keys?.(input) };
    return { action, resource: arn, ...(Object.keys(k).length ? { keys: k } : {}) };
  };
}

const IAM_ENTITY = /^arn:aws:iam::(\d{12}):(user|role|policy)(?:\/.*)?\/([^/]+)$/;

/**
 * aws:ResourceTag/<key> and iam:ResourceTag/<key> of the user, role or customer managed policy a call
 * is on (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_iam-tags.html#access_iam-tags_control-resources).
 */
async function resourceTags(ctx: OperationContext, arn: string): Promise<Record<string, string>> {
  const m = IAM_ENTITY.exec(arn);
  if (!m || m[1] !== ctx.accountId) return {};
  const ids = ctx.store.identities;
  const name = m[3] ?? '';
  const entity = m[2] === 'user' ? await ids.getUser(name) : m[2] === 'role' ? await ids.getRole(name) : await ids.getManagedPolicy(arn);
  if (!entity || entity.arn !== arn) return {};
  return Object.fromEntries(entity.tags.flatMap((t) => [[`aws:ResourceTag/${t.Key}`, t.Value] as const, [`iam:ResourceTag/${t.Key}`, t.Value] as const]));
}

export const anyResource = () => '*';

/**
 * ListUsers / ListRoles / ListGroups are authorized on the path they list, as AWS names it in their
 * denials: "… iam:ListUsers on resource: arn:aws:iam::<account>:user/" (with the PathPrefix, e.g.
 * `role/aws-service-role/…/`); ListPolicies on "policy path /" (AWS's wording; only `*` matches it).
 */
export const listedPath =
  (kind: 'user' | 'role' | 'group') =>
  (input: { PathPrefix?: string }, ctx: OperationContext): string =>
    `arn:aws:iam::${ctx.accountId}:${kind}${input.PathPrefix ?? '/'}`;
export const policyPath = (input: { PathPrefix?: string }): string => `policy path ${input.PathPrefix ?? '/'}`;

/** An existing user's ARN (with its path); a name that does not exist is authorized as `user/<name>`. */
export async function userResource(ctx: OperationContext, name: string | undefined): Promise<string> {
  const u = name ? await ctx.store.identities.getUser(name) : undefined;
  return u?.arn ?? userArn(ctx.accountId, '/', name ?? '');
}

export async function roleResource(ctx: OperationContext, name: string | undefined): Promise<string> {
  const r = name ? await ctx.store.identities.getRole(name) : undefined;
  return r?.arn ?? roleArn(ctx.accountId, '/', name ?? '');
}

export async function groupResource(ctx: OperationContext, name: string | undefined): Promise<string> {
  const g = name ? await ctx.store.identities.getGroup(name) : undefined;
  return g?.arn ?? groupArn(ctx.accountId, '/', name ?? '');
}

/** `UserName` omitted: the caller itself (root: root's own keys). Role sessions must name a user. */
export function selfResource(ctx: OperationContext): string {
  const p = ctx.principal;
  if (p.type === 'Root') return rootArn(ctx.accountId);
  if (p.type === 'IAMUser') return p.arn;
  if (p.type === 'FederatedUser') return p.arn;
  throw mustSpecifyUserName();
}

export const userOrSelf = (input: { UserName?: string }, ctx: OperationContext) =>
  input.UserName !== undefined ? userResource(ctx, input.UserName) : selfResource(ctx);

/** aws:RequestTag/<key> and aws:TagKeys for calls that carry Tags. */
export function tagKeys(input: { Tags?: { Key: string; Value: string }[] }): Keys {
  const tags = input.Tags;
  if (!tags?.length) return undefined;
  return { 'aws:TagKeys': tags.map((t) => t.Key), ...Object.fromEntries(tags.map((t) => [`aws:RequestTag/${t.Key}`, t.Value])) };
}
