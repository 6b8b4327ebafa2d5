/**
 * Making a new account (docs/accounts.md): the account row, its root user's access key, and — for an
 * account created inside an organization — the OrganizationAccountAccessRole that trusts the management
 * account, with AdministratorAccess attached, as AWS creates it
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_create-cross-account-role.html).
 * Used by Organizations' CreateAccount and by `startrail accounts create`.
 */
import { roleArn } from '../auth/principal.ts';
import type { Ids } from '../ids.ts';
import type { AccessKey, Account, Store } from '../store/types.ts';

export interface ProvisionInput {
  /** the id to use (CreateAccount draws it before making the account); it must be free. Default: a new random one */
  accountId?: string;
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

/** provisionAccount: another account has the email address (Organizations' EMAIL_ALREADY_EXISTS). */
export class EmailTakenError extends Error {
  constructor(readonly email: string) {
    super(`another account has the email address ${email}`);
  }
}

export const ORGANIZATION_ACCESS_ROLE = 'OrganizationAccountAccessRole';
const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';

/** Creates the account, its root key and (in an organization) its access role, in one transaction. */
export async function provisionAccount(store: Store, ids: Ids, input: ProvisionInput): Promise<Provisioned> {
  return store.transaction(async (tx) => {
    // a taken email would make every drawn id fail below
    if (await tx.accounts.getByEmail(input.email)) throw new EmailTakenError(input.email);
    let accountId = input.accountId ?? ids.accountId();
    const account: Account = { accountId, name: input.name, email: input.email, status: 'ACTIVE', createdAt: input.now };
    // twelve random digits collide about never; a taken one is simply drawn again
    while (!(await tx.accounts.create({ ...account, accountId }))) {
      if (input.accountId) throw new Error(`provisionAccount: account ${input.accountId} or email ${input.email} is taken`);
      accountId = ids.accountId();
    }
    account.accountId = accountId;
    const own = tx.forAccount(accountId).identities;
    const rootKey: AccessKey = {
      accessKeyId: ids.accessKeyId('AKIA'),
      secretAccessKey: ids.secretAccessKey(),
      userName: null,
      accountId,
      status: 'Active',
      createDate: input.now,
    };
    await own.putAccessKey(rootKey);
    if (input.managementAccountId) {
      const roleName = input.roleName ?? ORGANIZATION_ACCESS_ROLE;
      await own.createRole({
        roleId: ids.uniqueId('AROA'),
        roleName,
        path: '/',
        arn: roleArn(accountId, '/', roleName),
        assumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${input.managementAccountId}:root` }, Action: 'sts:AssumeRole' }],
        }),
        maxSessionDuration: 3600,
        createDate: input.now,
        tags: [],
      });
      await own.attachPolicy('role', roleName, ADMINISTRATOR_ACCESS);
    }
    return { account, rootKey };
  });
}

/** The configured account's row, made on first start (an upgraded database has none yet). */
export async function ensureAccount(store: Store, accountId: string, now: Date): Promise<void> {
  if (await store.accounts.get(accountId)) return;
  await store.accounts.create({ accountId, name: 'startrail', email: `root+${accountId}@startrail.invalid`, status: 'ACTIVE', createdAt: now });
}
