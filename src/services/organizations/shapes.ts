/**
 * Organizations' ids, ARNs and answer shapes (docs/organizations.md#ids-and-arns), as the API
 * reference's data types describe them
 * (https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html, API_Account.html,
 * API_Root.html, API_OrganizationalUnit.html, API_CreateAccountStatus.html).
 */
import { randomBytes } from 'node:crypto';
import type {
  Account as StoredAccount,
  CreateAccountRequest,
  Organization as StoredOrganization,
  OrganizationalUnit as StoredUnit,
  OrganizationMember,
} from '../../store/types.ts';
import type { Account, CreateAccountStatus, Organization, OrganizationalUnit, Root } from './model.generated.ts';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
export function lowerAlnum(n: number): string {
  const bytes = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += LOWER_ALNUM[bytes[i]! % LOWER_ALNUM.length];
  return s;
}

/** o-[a-z0-9]{10} */
export const newOrganizationId = () => `o-${lowerAlnum(10)}`;
/** r-[0-9a-z]{4} */
export const newRootId = () => `r-${lowerAlnum(4)}`;
/** ou-<the root id's characters>-[a-z0-9]{8} */
export const newUnitId = (rootId: string) => `ou-${rootId.slice(2)}-${lowerAlnum(8)}`;
/** car-[a-z0-9]{32} */
export const newRequestId = () => `car-${lowerAlnum(32)}`;

export const organizationArn = (mgmt: string, orgId: string) => `arn:aws:organizations::${mgmt}:organization/${orgId}`;
export const accountArn = (org: StoredOrganization, accountId: string) => `arn:aws:organizations::${org.managementAccountId}:account/${org.id}/${accountId}`;
export const rootArn = (org: StoredOrganization) => `arn:aws:organizations::${org.managementAccountId}:root/${org.id}/${org.rootId}`;
export const unitArn = (org: StoredOrganization, ouId: string) => `arn:aws:organizations::${org.managementAccountId}:ou/${org.id}/${ouId}`;

export function organizationOut(org: StoredOrganization, managementEmail: string): Organization {
  return {
    Id: org.id,
    Arn: org.arn,
    FeatureSet: org.featureSet,
    MasterAccountArn: accountArn(org, org.managementAccountId),
    MasterAccountId: org.managementAccountId,
    MasterAccountEmail: managementEmail,
    // deprecated by AWS (the root's PolicyTypes say what is enabled); AWS's examples show SCPs for an organization with all features
    AvailablePolicyTypes: org.featureSet === 'ALL' ? [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }] : [],
  };
}

export const rootOut = (org: StoredOrganization): Root => ({ Id: org.rootId, Arn: rootArn(org), Name: 'Root', PolicyTypes: [] });

export const unitOut = (org: StoredOrganization, ou: StoredUnit): OrganizationalUnit => ({ Id: ou.id, Arn: unitArn(org, ou.id), Name: ou.name });

export function accountOut(org: StoredOrganization, member: OrganizationMember, account: StoredAccount | undefined): Account {
  const status = account?.status ?? 'ACTIVE';
  return {
    Id: member.accountId,
    Arn: accountArn(org, member.accountId),
    ...(account ? { Email: account.email, Name: account.name } : {}),
    Status: status,
    State: status,
    JoinedMethod: member.joinedMethod,
    JoinedTimestamp: member.joinedAt,
  };
}

export function requestOut(q: CreateAccountRequest): CreateAccountStatus {
  return {
    Id: q.id,
    AccountName: q.accountName,
    State: q.state,
    RequestedTimestamp: q.requestedAt,
    ...(q.completedAt ? { CompletedTimestamp: q.completedAt } : {}),
    ...(q.accountId ? { AccountId: q.accountId } : {}),
    ...(q.failureReason ? { FailureReason: q.failureReason as CreateAccountStatus['FailureReason'] } : {}),
  };
}
