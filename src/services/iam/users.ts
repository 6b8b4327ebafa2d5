/** IAM users: CreateUser, GetUser, ListUsers, DeleteUser (a member of a group cannot be deleted; https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html resources; ids, names and errors: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html). */
import { rootArn, userArn } from '../../auth/principal.ts';
import type { User } from '../../store/types.ts';
import type { OperationDefs, OperationContext } from '../types.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { listedPath, on, tagKeys, userOrSelf, userResource } from './access.ts';
import { deleteConflict, entityAlreadyExists, mustSpecifyUserName, noSuchUser } from './errors.ts';
import { pageByName, pageMembers } from './pagination.ts';
import { createdNow, tagsMember, tagsOf } from './values.ts';
import { boundaryKey, boundaryMember, boundaryOf } from './boundaries.ts';

/** A user as GetUser and CreateUser return it; the List operations leave out the boundary and the tags. */
export const userOut = (u: User, full = true) => ({
  Path: u.path,
  UserName: u.userName,
  UserId: u.userId,
  Arn: u.arn,
  CreateDate: u.createDate,
  ...(full ? boundaryMember(u.permissionsBoundary) : {}),
  ...(full ? tagsMember(u.tags) : {}),
});

/** The named user, or NoSuchEntity. */
export async function requireUser(ctx: OperationContext, name: string): Promise<User> {
  const u = await ctx.store.identities.getUser(name);
  if (!u) throw noSuchUser(name);
  return u;
}

/** GetUser as root without UserName: the account's root user (no name or path). */
async function rootUser(ctx: OperationContext) {
  const keys = await ctx.store.identities.listAccessKeys(null);
  const created = keys.reduce<Date | undefined>((d, k) => (!d || k.createDate < d ? k.createDate : d), undefined) ?? createdNow(ctx);
  return { UserId: ctx.accountId, Arn: rootArn(ctx.accountId), CreateDate: new Date(Math.floor(created.getTime() / 1000) * 1000) };
}

export const users = {
  CreateUser: {
    readOnly: false,
    authorize: on(
      'CreateUser',
      (i, ctx) => userArn(ctx.accountId, i.Path ?? '/', i.UserName ?? ''),
      (i) => ({ ...tagKeys(i), ...boundaryKey(i) }),
    ),
    async handler(input, ctx): Promise<Output<'CreateUser'>> {
      const tags = tagsOf(input);
      const boundary = await boundaryOf(ctx, input.PermissionsBoundary);
      const ids = ctx.store.identities;
      if (await ids.getUser(input.UserName)) throw entityAlreadyExists('User', input.UserName);
      const path = input.Path ?? '/';
      const user: User = {
        userId: ctx.ids.uniqueId('AIDA'),
        userName: input.UserName,
        path,
        arn: userArn(ctx.accountId, path, input.UserName),
        createDate: createdNow(ctx),
        tags,
        ...(boundary !== undefined ? { permissionsBoundary: boundary } : {}),
      };
      await ids.createUser(user);
      return { User: userOut(user) };
    },
  },

  GetUser: {
    readOnly: true,
    authorize: on('GetUser', userOrSelf),
    async handler(input, ctx): Promise<Output<'GetUser'>> {
      const p = ctx.principal;
      if (input.UserName !== undefined) return { User: userOut(await requireUser(ctx, input.UserName)) };
      if (p.type === 'Root') return { User: await rootUser(ctx) };
      if (p.type === 'IAMUser') return { User: userOut(await requireUser(ctx, p.userName!)) };
      throw mustSpecifyUserName();
    },
  },

  ListUsers: {
    readOnly: true,
    authorize: on('ListUsers', listedPath('user')),
    async handler(input, ctx): Promise<Output<'ListUsers'>> {
      const page = await pageByName(
        (o) => ctx.store.identities.listUsers(o),
        (u) => u.userName,
        input,
      );
      return { Users: page.items.map((u) => userOut(u, false)), ...pageMembers(page) };
    },
  },

  DeleteUser: {
    readOnly: false,
    authorize: on('DeleteUser', (i, ctx) => userResource(ctx, i.UserName)),
    async handler(input, ctx): Promise<Output<'DeleteUser'>> {
      const ids = ctx.store.identities;
      const user = await requireUser(ctx, input.UserName);
      if ((await ids.listAccessKeys(user.userName)).length) throw deleteConflict('keys');
      if ((await ids.listInlinePolicies('user', user.userName)).length) throw deleteConflict('inline');
      if ((await ids.listAttachedPolicies('user', user.userName)).length) throw deleteConflict('attached');
      if ((await ids.listGroupsForUser(user.userName)).length) throw deleteConflict('groupMembers');
      await ids.deleteUser(user.userName);
      return {};
    },
  },
} satisfies OperationDefs<Ops, 'CreateUser' | 'GetUser' | 'ListUsers' | 'DeleteUser'>;
