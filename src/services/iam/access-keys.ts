/**
 * Long-term access keys: CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html ; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
 * Without UserName the caller's own keys (root: root's). AKIA + 16 base32 ids, 40-character secrets
 * returned once and never again; at most 2 keys per user (and for root).
 */
import type { AccessKey } from '../../store/types.ts';
import type { OperationDefs, OperationContext } from '../types.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { on, userOrSelf } from './access.ts';
import { limitExceeded, mustSpecifyUserName, noSuchAccessKey } from './errors.ts';
import { QUOTAS } from './documents.ts';
import { pageMembers, pageOf } from './pagination.ts';
import { requireUser } from './users.ts';
import { createdNow } from './values.ts';

/** Whose keys the call is about: a user's canonical name, or null for root's own. */
async function keyOwner(input: { UserName?: string }, ctx: OperationContext): Promise<string | null> {
  if (input.UserName !== undefined) return (await requireUser(ctx, input.UserName)).userName;
  const p = ctx.principal;
  if (p.type === 'IAMUser') return p.userName!;
  if (p.type === 'Root') return null;
  throw mustSpecifyUserName();
}

/** The key with this id, if it belongs to the owner; otherwise NoSuchEntity, as IAM does for someone else's key. */
async function ownedKey(ctx: OperationContext, owner: string | null, id: string): Promise<AccessKey> {
  const key = await ctx.store.identities.getAccessKey(id);
  if (!key || (key.userName?.toLowerCase() ?? null) !== (owner?.toLowerCase() ?? null)) throw noSuchAccessKey(id);
  return key;
}

const userNameMember = (k: AccessKey) => (k.userName !== null ? { UserName: k.userName } : {});

export const accessKeys = {
  CreateAccessKey: {
    readOnly: false,
    authorize: on('CreateAccessKey', userOrSelf),
    async handler(input, ctx): Promise<Output<'CreateAccessKey'>> {
      const owner = await keyOwner(input, ctx);
      const ids = ctx.store.identities;
      if ((await ids.listAccessKeys(owner)).length >= QUOTAS.accessKeysPerUser) throw limitExceeded('AccessKeysPerUser', QUOTAS.accessKeysPerUser);
      const key: AccessKey = {
        accessKeyId: ctx.ids.accessKeyId('AKIA'),
        secretAccessKey: ctx.ids.secretAccessKey(),
        userName: owner,
        status: 'Active',
        createDate: createdNow(ctx),
      };
      await ids.putAccessKey(key);
      return {
        AccessKey: {
          ...userNameMember(key),
          AccessKeyId: key.accessKeyId,
          Status: key.status,
          SecretAccessKey: key.secretAccessKey,
          CreateDate: key.createDate,
        },
      };
    },
  },

  ListAccessKeys: {
    readOnly: true,
    authorize: on('ListAccessKeys', userOrSelf),
    async handler(input, ctx): Promise<Output<'ListAccessKeys'>> {
      const owner = await keyOwner(input, ctx);
      const keys = await ctx.store.identities.listAccessKeys(owner);
      const page = pageOf(keys, (k) => `${String(k.createDate.getTime()).padStart(15, '0')}:${k.accessKeyId}`, input);
      return {
        AccessKeyMetadata: page.items.map((k) => ({ ...userNameMember(k), AccessKeyId: k.accessKeyId, Status: k.status, CreateDate: k.createDate })),
        ...pageMembers(page),
      };
    },
  },

  UpdateAccessKey: {
    readOnly: false,
    authorize: on('UpdateAccessKey', userOrSelf),
    async handler(input, ctx): Promise<Output<'UpdateAccessKey'>> {
      const key = await ownedKey(ctx, await keyOwner(input, ctx), input.AccessKeyId);
      await ctx.store.identities.updateAccessKeyStatus(key.accessKeyId, input.Status);
      return {};
    },
  },

  DeleteAccessKey: {
    readOnly: false,
    authorize: on('DeleteAccessKey', userOrSelf),
    async handler(input, ctx): Promise<Output<'DeleteAccessKey'>> {
      const key = await ownedKey(ctx, await keyOwner(input, ctx), input.AccessKeyId);
      await ctx.store.identities.deleteAccessKey(key.accessKeyId);
      return {};
    },
  },
} satisfies OperationDefs<Ops, 'CreateAccessKey' | 'ListAccessKeys' | 'UpdateAccessKey' | 'DeleteAccessKey'>;
