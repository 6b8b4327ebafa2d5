/** Finding a group, shared by the group, inline-policy and attachment operations. */
import type { Group } from '../../store/types.ts';
import type { OperationContext } from '../types.ts';
import { noSuchGroup } from './errors.ts';

/** `arn:aws:iam::<account>:group<path><name>` (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns). */
export const groupArn = (accountId: string, path: string, name: string) => `arn:aws:iam::${accountId}:group${path}${name}`;

/** The named group, or NoSuchEntity. */
export async function requireGroup(ctx: OperationContext, name: string): Promise<Group> {
  const g = await ctx.store.identities.getGroup(name);
  if (!g) throw noSuchGroup(name);
  return g;
}
