/**
 * User profiles: CreateUserProfile, DescribeUserProfile, ListUserProfiles, UpdateUserProfile,
 * DeleteUserProfile (https://docs.aws.amazon.com/codestar/latest/APIReference/Welcome.html). One profile per IAM user of the account. Create/Update/
 * Delete are authorized on the `userArn` (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html), so a role policy's `codestar:*UserProfile` on
 * `user/${aws:username}` lets members edit only their own profile.
 */
import type { UserProfile } from '../../store/types.ts';
import type { OperationDefs, OperationContext } from '../types.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { anyResource, onUser, recordUser } from './access.ts';
import { userProfileAlreadyExists, userProfileNotFound } from './errors.ts';
import { page } from './pagination.ts';
import { requireIamUser } from './team-members.ts';

const summary = (p: UserProfile) => ({ userArn: p.userArn, displayName: p.displayName, emailAddress: p.emailAddress, sshPublicKey: p.sshPublicKey });
const profileOut = (p: UserProfile) => ({ ...summary(p), createdTimestamp: p.createdAt, lastModifiedTimestamp: p.lastModifiedAt });

async function requireProfile(ctx: OperationContext, userArn: string): Promise<UserProfile> {
  const p = await ctx.store.projects.getProfile(userArn);
  if (!p) throw userProfileNotFound(userArn);
  return p;
}

export const userProfiles = {
  CreateUserProfile: {
    readOnly: false,
    authorize: onUser,
    async handler(input, ctx): Promise<Output<'CreateUserProfile'>> {
      await requireIamUser(ctx, input.userArn);
      const profile: UserProfile = {
        userArn: input.userArn,
        displayName: input.displayName,
        emailAddress: input.emailAddress,
        createdAt: ctx.now,
        lastModifiedAt: ctx.now,
        ...(input.sshPublicKey !== undefined ? { sshPublicKey: input.sshPublicKey } : {}),
      };
      if (!(await ctx.store.projects.createProfile(profile))) throw userProfileAlreadyExists(input.userArn);
      return profileOut(profile);
    },
    resources: recordUser,
  },

  DescribeUserProfile: {
    readOnly: true,
    authorize: anyResource,
    handler: async (input, ctx): Promise<Output<'DescribeUserProfile'>> => profileOut(await requireProfile(ctx, input.userArn)),
    resources: recordUser,
  },

  ListUserProfiles: {
    readOnly: true,
    authorize: anyResource,
    async handler(input, ctx): Promise<Output<'ListUserProfiles'>> {
      const r = await page(input, 'userProfiles', '', (after, limit) => ctx.store.projects.listProfiles(after, limit));
      return { userProfiles: r.items.map(summary), ...(r.nextToken ? { nextToken: r.nextToken } : {}) };
    },
  },

  UpdateUserProfile: {
    readOnly: false,
    authorize: onUser,
    async handler(input, ctx): Promise<Output<'UpdateUserProfile'>> {
      const old = await requireProfile(ctx, input.userArn);
      const { sshPublicKey: oldKey, ...rest } = old;
      const key = input.sshPublicKey ?? oldKey;
      const updated: UserProfile = {
        ...rest,
        displayName: input.displayName ?? old.displayName,
        emailAddress: input.emailAddress ?? old.emailAddress,
        lastModifiedAt: ctx.now,
        ...(key !== undefined ? { sshPublicKey: key } : {}),
      };
      await ctx.store.projects.updateProfile(updated);
      return profileOut(updated);
    },
    resources: recordUser,
  },

  DeleteUserProfile: {
    readOnly: false,
    authorize: onUser,
    // The model lists no UserProfileNotFoundException here: deleting a profile that is not there succeeds.
    async handler(input, ctx): Promise<Output<'DeleteUserProfile'>> {
      await ctx.store.projects.deleteProfile(input.userArn);
      return { userArn: input.userArn };
    },
    resources: recordUser,
  },
} satisfies OperationDefs<Ops, 'CreateUserProfile' | 'DescribeUserProfile' | 'ListUserProfiles' | 'UpdateUserProfile' | 'DeleteUserProfile'>;
