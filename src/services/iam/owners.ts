/**
 * Operations built once for every owner of policies, users, roles and groups (inline-policies.ts,
 * attachments.ts): the wire name of each step per owner, and the types that tie a step's handler to
 * every owner's generated input and output.
 */
import type { OperationDef } from '../types.ts';
import type { Input, Output } from './model.generated.ts';

export type Owner = 'User' | 'Role' | 'Group';

/** Each step's operation, per owner. */
export interface OwnerOperations<W extends Owner> {
  put: `Put${W}Policy`;
  get: `Get${W}Policy`;
  del: `Delete${W}Policy`;
  list: `List${W}Policies`;
  attach: `Attach${W}Policy`;
  detach: `Detach${W}Policy`;
  listAttached: `ListAttached${W}Policies`;
}
export type Step = keyof OwnerOperations<Owner>;

/** A step as written once: its input and output are any owner's. */
export type EitherOwner<S extends Step> = OperationDef<Input<OwnerOperations<Owner>[S]>, Output<OwnerOperations<Owner>[S]>>;
/** What a step written once answers: any owner's output. */
export type OwnerOutput<S extends Step> = Output<OwnerOperations<Owner>[S]>;
/** A step as served for one owner. */
export type ForOwner<W extends Owner, S extends Step> = OperationDef<Input<OwnerOperations<W>[S]>, Output<OwnerOperations<W>[S]>>;

/** What names an owner in an input. */
export type Named = { UserName: string } | { RoleName: string } | { GroupName: string };

/** The user, role or group an input names. */
export const ownerNamed = (input: Named): string => ('UserName' in input ? input.UserName : 'RoleName' in input ? input.RoleName : input.GroupName);

/**
 * The steps written once, served for one owner. Sound as long as each handler answers with the
 * owner it was called for (GetUserPolicy names the user, GetRolePolicy the role, GetGroupPolicy the group).
 */
export function forOwner<W extends Owner, S extends Step>(defs: { [K in S]: EitherOwner<K> }): { [K in S]: ForOwner<W, K> } {
  return defs as { [K in S]: ForOwner<W, K> };
}
