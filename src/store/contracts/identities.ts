/** Identity contracts (IAM users, access keys, roles, policies, STS sessions): store/identities.ts implements them. */
export interface Tag {
  Key: string;
  Value: string;
}

export interface User {
  userId: string; // AIDA…
  userName: string;
  path: string;
  arn: string;
  createDate: Date;
  tags: Tag[];
  /** ARN of the managed policy that is the user's permissions boundary */
  permissionsBoundary?: string;
}

export interface Group {
  groupId: string; // AGPA…
  groupName: string;
  path: string;
  arn: string;
  createDate: Date;
}

export interface AccessKey {
  accessKeyId: string; // AKIA…
  secretAccessKey: string;
  /** null = the account's root user */
  userName: string | null;
  /** the account the key belongs to: always set on read; on write, defaults to the Store view's account */
  accountId?: string;
  status: 'Active' | 'Inactive';
  createDate: Date;
}

export interface Role {
  roleId: string; // AROA…
  roleName: string;
  path: string;
  arn: string;
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration: number;
  createDate: Date;
  tags: Tag[];
  /** ARN of the managed policy that is the role's permissions boundary */
  permissionsBoundary?: string;
}

/** Owners of inline and attached policies. */
export type PrincipalKind = 'user' | 'role' | 'group';
/** What can carry tags and a permissions boundary. */
export type TaggableKind = 'user' | 'role' | 'policy';

export interface InlinePolicy {
  ownerKind: PrincipalKind;
  ownerName: string;
  policyName: string;
  document: string;
}

export interface ManagedPolicy {
  arn: string;
  policyId: string; // ANPA…
  policyName: string;
  path: string;
  document: string;
  defaultVersionId: string;
  description?: string;
  createDate: Date;
  updateDate: Date;
  tags: Tag[];
  /** true for AWS managed policies (arn:aws:iam::aws:policy/…), which are built in and read-only */
  awsManaged: boolean;
}

/** One version of a customer managed policy. */
export interface PolicyVersion {
  versionId: string; // v1, v2, …
  document: string;
  createDate: Date;
}

/** Temporary credentials issued by STS. */
export interface Session {
  accessKeyId: string; // ASIA…
  /** the account the credentials act in (the assumed role's account): always set on read; on write, defaults to the Store view's account */
  accountId?: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  createDate: Date;
  /**
   * GetSessionToken's credentials are `session`, or `console` when the web console's sign-in asked for them: a console
   * session, which (like AWS's console sessions) may call IAM without MFA
   */
  kind: 'role' | 'federated' | 'session' | 'console';
  /** role: the role's name; federated/session: the IAM user's name, or null for root */
  sourceName: string | null;
  /** unique id (AROA…/AIDA…) of that role or user: a deleted and re-created namesake does not inherit the session */
  sourceId?: string;
  /** role: the RoleSessionName; federated: the federated user name */
  sessionName?: string;
  /** session policies passed to AssumeRole / GetFederationToken, as documents (inline text and managed ARNs resolved at issue time) */
  sessionPolicies?: string[];
  mfaAuthenticated: boolean;
  /** true when the caller used temporary credentials to obtain these (role chaining) */
  chained?: boolean;
  sourceIdentity?: string;
}

export interface Page<T> {
  items: T[];
  next?: string;
}

export interface IdentityStore {
  /** Long-term keys: of an IAM user, or of root when userName is null. */
  /** Global: finds a key of any account (authentication); accountId says whose it is. */
  getAccessKey(accessKeyId: string): Promise<AccessKey | undefined>;
  putAccessKey(key: AccessKey): Promise<void>;
  listAccessKeys(userName: string | null): Promise<AccessKey[]>;
  updateAccessKeyStatus(accessKeyId: string, status: AccessKey['status']): Promise<void>;
  deleteAccessKey(accessKeyId: string): Promise<void>;

  /** User names are unique case-insensitively; lookups are case-insensitive too, as IAM's. */
  getUser(userName: string): Promise<User | undefined>;
  getUserById(userId: string): Promise<User | undefined>;
  createUser(user: User): Promise<void>;
  deleteUser(userName: string): Promise<void>;
  /** Sorted by name; `after` is the last name of the previous page. */
  listUsers(opts: { pathPrefix?: string; after?: string; limit: number }): Promise<User[]>;

  getRole(roleName: string): Promise<Role | undefined>;
  getRoleById(roleId: string): Promise<Role | undefined>;
  createRole(role: Role): Promise<void>;
  updateRoleTrustPolicy(roleName: string, document: string): Promise<void>;
  deleteRole(roleName: string): Promise<void>;
  listRoles(opts: { pathPrefix?: string; after?: string; limit: number }): Promise<Role[]>;

  /** Sets (a policy ARN) or removes (null) the permissions boundary of a user or role. */
  setPermissionsBoundary(kind: 'user' | 'role', name: string, policyArn: string | null): Promise<void>;
  /** Users and roles whose permissions boundary is the policy. */
  countBoundaryUses(policyArn: string): Promise<number>;
  /** Replaces the tags of a user, a role (by name) or a customer managed policy (by ARN). */
  setTags(kind: TaggableKind, nameOrArn: string, tags: Tag[]): Promise<void>;

  /** Group names are unique case-insensitively, like user and role names. */
  getGroup(groupName: string): Promise<Group | undefined>;
  createGroup(group: Group): Promise<void>;
  /**
   * Renames and/or moves a group; its members, inline policies and attachments follow it (all keyed by
   * name). `arn` is the group's new ARN.
   */
  updateGroup(groupName: string, change: { groupName: string; path: string; arn: string }): Promise<void>;
  deleteGroup(groupName: string): Promise<void>;
  /** Sorted by name; `after` is the last name of the previous page. */
  listGroups(opts: { pathPrefix?: string; after?: string; limit: number }): Promise<Group[]>;
  /** Idempotent. */
  addUserToGroup(groupName: string, userName: string, at: Date): Promise<void>;
  removeUserFromGroup(groupName: string, userName: string): Promise<void>;
  /** The user's groups, by name. */
  listGroupsForUser(userName: string): Promise<Group[]>;
  /** The group's members, by name. */
  listGroupMembers(groupName: string): Promise<User[]>;

  putInlinePolicy(p: InlinePolicy): Promise<void>;
  getInlinePolicy(ownerKind: PrincipalKind, ownerName: string, policyName: string): Promise<InlinePolicy | undefined>;
  deleteInlinePolicy(ownerKind: PrincipalKind, ownerName: string, policyName: string): Promise<void>;
  listInlinePolicies(ownerKind: PrincipalKind, ownerName: string): Promise<InlinePolicy[]>;

  /** Customer managed policies; AWS managed ones are served by the IAM service from code. */
  getManagedPolicy(arn: string): Promise<ManagedPolicy | undefined>;
  /** Creates the policy with its first version (v1, the default). */
  createManagedPolicy(p: ManagedPolicy): Promise<void>;
  /** Every version, newest first. */
  listPolicyVersions(arn: string): Promise<PolicyVersion[]>;
  /**
   * Adds a version numbered one past the newest ever made (ids are never reused) and returns its id;
   * `setAsDefault` makes it the default, whose text becomes the policy's document. The policy's
   * updateDate becomes the version's date.
   */
  addPolicyVersion(arn: string, document: string, createDate: Date, setAsDefault: boolean): Promise<string>;
  /** Removes a version that is not the default. */
  deletePolicyVersion(arn: string, versionId: string): Promise<void>;
  /** Makes an existing version the default: its text becomes the policy's document. */
  setDefaultPolicyVersion(arn: string, versionId: string): Promise<void>;
  /** Who the policy is attached to, and whose permissions boundary it is (ListEntitiesForPolicy). */
  listPolicyUses(arn: string): Promise<{ attached: { kind: PrincipalKind; name: string }[]; boundaryOf: { kind: 'user' | 'role'; name: string }[] }>;
  deleteManagedPolicy(arn: string): Promise<void>;
  listManagedPolicies(opts: { pathPrefix?: string }): Promise<ManagedPolicy[]>;

  attachPolicy(ownerKind: PrincipalKind, ownerName: string, policyArn: string): Promise<void>;
  detachPolicy(ownerKind: PrincipalKind, ownerName: string, policyArn: string): Promise<void>;
  /** ARNs attached to the owner, in attachment order. */
  listAttachedPolicies(ownerKind: PrincipalKind, ownerName: string): Promise<string[]>;
  countPolicyAttachments(policyArn: string): Promise<number>;

  putSession(s: Session): Promise<void>;
  /** Global: finds a session of any account (authentication); accountId says whose it is. */
  getSession(accessKeyId: string): Promise<Session | undefined>;
  /** Removes sessions that expired before `now`. */
  purgeSessions(now: Date): Promise<number>;
}
