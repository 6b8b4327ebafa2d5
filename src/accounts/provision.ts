/**
 * Making a new account (docs/accounts.md): the account row, its root user's access key, and — for an
 * account created inside an organization — the OrganizationAccountAccessRole that trusts the management
 * account, with AdministratorAccess attached, as AWS creates it
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_create-cross-account-role.html).
 * Used by Organizations' CreateAccount and by `startrail accounts create`.
 */
import type { Ids } from '../ids.ts';
import type { AccessKey, Account, Store } from '../store/types.ts';

export interface ProvisionInput {
  name: string;
  email: string;
  /** when given: the management account the new account's OrganizationAccountAccessRole trusts */
  managementAccountId?: string;
  /** the role's name (CreateAccount's RoleName; default OrganizationAccountAccessRole) */
  roleName?: string;
  now: Date;
}

export interface Provisioned {
  account: Account;
  /** the root user's long-term access key */
  rootKey: AccessKey;
}

export declare function provisionAccount(store: Store, ids: Ids, input: ProvisionInput): Promise<Provisioned>;
