/**
 * Accounts and AWS Organizations (docs/accounts.md): store/accounts.ts implements them. Both stores are
 * global — not scoped to the account of the Store view they hang off — since they are what relates
 * accounts to each other.
 */

/** One AWS account this server holds. The configured account (STARTRAIL_ACCOUNT_ID) always exists. */
export interface Account {
  accountId: string; // 12 digits
  name: string;
  /** the root user's email address (Organizations' Account.Email) */
  email: string;
  status: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';
  createdAt: Date;
}

export interface AccountStore {
  get(accountId: string): Promise<Account | undefined>;
  /** false (and nothing written) when the id or the email (in any case) is taken */
  create(account: Account): Promise<boolean>;
  /** Every account, ordered by createdAt then accountId. */
  list(): Promise<Account[]>;
  /** Email addresses are unique across accounts (Organizations' CreateAccount refuses a taken one). */
  getByEmail(email: string): Promise<Account | undefined>;
  setStatus(accountId: string, status: Account['status']): Promise<void>;
  rename(accountId: string, name: string): Promise<void>;
}

/** An organization (https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html). */
export interface Organization {
  id: string; // o-[a-z0-9]{10,32}
  arn: string; // arn:aws:organizations::<management>:organization/<o-id>
  featureSet: 'ALL' | 'CONSOLIDATED_BILLING';
  managementAccountId: string;
  /** the organization's single root: r-[0-9a-z]{4,32} */
  rootId: string;
  createdAt: Date;
}

/** An account's place in its organization. The management account is a member too, with the joinedMethod AWS reports for it (docs/organizations.md). */
export interface OrganizationMember {
  accountId: string;
  orgId: string;
  /** the root (r-…) or an organizational unit (ou-…) the account sits in */
  parentId: string;
  joinedMethod: 'CREATED' | 'INVITED';
  joinedAt: Date;
}

/** An organizational unit (https://docs.aws.amazon.com/organizations/latest/APIReference/API_OrganizationalUnit.html). */
export interface OrganizationalUnit {
  id: string; // ou-<root id without r->-[a-z0-9]{8,32}
  orgId: string;
  /** the root (r-…) or the OU (ou-…) it sits in */
  parentId: string;
  name: string;
  createdAt: Date;
}

/** A CreateAccount request (https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreateAccountStatus.html). */
export interface CreateAccountRequest {
  id: string; // car-[a-z0-9]{8,32}
  orgId: string;
  accountName: string;
  email: string;
  roleName: string;
  state: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';
  failureReason?: string;
  accountId?: string;
  requestedAt: Date;
  completedAt?: Date;
}

export interface OrganizationStore {
  /** Creates the organization and makes its management account a member under the root; false (nothing written) when that account already belongs to one. */
  create(org: Organization, joinedMethod: OrganizationMember['joinedMethod'], at: Date): Promise<boolean>;
  get(orgId: string): Promise<Organization | undefined>;
  /** The organization an account belongs to (as management account or member), with its membership. */
  ofAccount(accountId: string): Promise<{ org: Organization; member: OrganizationMember } | undefined>;
  /** Deletes the organization, its memberships, OUs, CreateAccount requests and service-access rows. */
  delete(orgId: string): Promise<void>;
  /** false (nothing written) when the account already belongs to an organization */
  addMember(member: OrganizationMember): Promise<boolean>;
  moveMember(accountId: string, parentId: string): Promise<void>;
  removeMember(accountId: string): Promise<void>;
  /** Members (management account included), ordered by joinedAt then accountId; `parentId` narrows to one parent. */
  listMembers(orgId: string, opts?: { parentId?: string }): Promise<OrganizationMember[]>;
  /** EnableAWSServiceAccess: idempotent. */
  enableServiceAccess(orgId: string, servicePrincipal: string, at: Date): Promise<void>;
  disableServiceAccess(orgId: string, servicePrincipal: string): Promise<void>;
  listServiceAccess(orgId: string): Promise<{ servicePrincipal: string; enabledAt: Date }[]>;

  /** false (nothing written) when the parent already holds an OU of that name (any case) */
  createUnit(ou: OrganizationalUnit): Promise<boolean>;
  getUnit(ouId: string): Promise<OrganizationalUnit | undefined>;
  /** OUs of the organization, ordered by createdAt then id; `parentId` narrows to one parent. */
  listUnits(orgId: string, opts?: { parentId?: string }): Promise<OrganizationalUnit[]>;
  /** false (nothing written) when a sibling already has the name (any case) */
  renameUnit(ouId: string, name: string): Promise<boolean>;
  deleteUnit(ouId: string): Promise<void>;
  /** Persists a new request (IN_PROGRESS). */
  createAccountRequest(request: CreateAccountRequest): Promise<void>;
  getAccountRequest(requestId: string): Promise<CreateAccountRequest | undefined>;
  /** Requests of the organization, newest first; `states` narrows to those states. */
  listAccountRequests(orgId: string, opts?: { states?: CreateAccountRequest['state'][] }): Promise<CreateAccountRequest[]>;
  /** IN_PROGRESS requests of every organization requested at or before `before`, oldest first. */
  pendingAccountRequests(before: Date, limit: number): Promise<CreateAccountRequest[]>;
  /**
   * Completes an IN_PROGRESS request: false (nothing written) when it is no longer IN_PROGRESS — another
   * node or call completed it — so one request makes at most one account. Call it before making the
   * account, in the same transaction: it is the claim.
   */
  completeAccountRequest(
    requestId: string,
    outcome: { state: 'SUCCEEDED'; accountId: string; at: Date } | { state: 'FAILED'; failureReason: string; at: Date },
  ): Promise<boolean>;
}
