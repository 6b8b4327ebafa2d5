/**
 * Storage contracts, in domain terms. Each aggregate is an interface whose methods document their
 * contract; every backend (SQLite now, PostgreSQL later) implements them and passes
 * store/conformance. Secrets cross these interfaces in plain text: backends encrypt them at rest.
 */

export interface Tag { Key: string; Value: string }

export interface User {
  userId: string;          // AIDA…
  userName: string;
  path: string;
  arn: string;
  createDate: Date;
  tags: Tag[];
}

export interface AccessKey {
  accessKeyId: string;     // AKIA…
  secretAccessKey: string;
  /** null = the account's root user */
  userName: string | null;
  status: 'Active' | 'Inactive';
  createDate: Date;
}

export interface Role {
  roleId: string;          // AROA…
  roleName: string;
  path: string;
  arn: string;
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration: number;
  createDate: Date;
  tags: Tag[];
}

export type PrincipalKind = 'user' | 'role';

export interface InlinePolicy { ownerKind: PrincipalKind; ownerName: string; policyName: string; document: string }

export interface ManagedPolicy {
  arn: string;
  policyId: string;        // ANPA…
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

/** Temporary credentials issued by STS. */
export interface Session {
  accessKeyId: string;     // ASIA…
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  createDate: Date;
  kind: 'role' | 'federated' | 'session';
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

export interface Page<T> { items: T[]; next?: string }

export interface IdentityStore {
  /** Long-term keys: of an IAM user, or of root when userName is null. */
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

  putInlinePolicy(p: InlinePolicy): Promise<void>;
  getInlinePolicy(ownerKind: PrincipalKind, ownerName: string, policyName: string): Promise<InlinePolicy | undefined>;
  deleteInlinePolicy(ownerKind: PrincipalKind, ownerName: string, policyName: string): Promise<void>;
  listInlinePolicies(ownerKind: PrincipalKind, ownerName: string): Promise<InlinePolicy[]>;

  /** Customer managed policies; AWS managed ones are served by the IAM service from code. */
  getManagedPolicy(arn: string): Promise<ManagedPolicy | undefined>;
  createManagedPolicy(p: ManagedPolicy): Promise<void>;
  deleteManagedPolicy(arn: string): Promise<void>;
  listManagedPolicies(opts: { pathPrefix?: string }): Promise<ManagedPolicy[]>;

  attachPolicy(ownerKind: PrincipalKind, ownerName: string, policyArn: string): Promise<void>;
  detachPolicy(ownerKind: PrincipalKind, ownerName: string, policyArn: string): Promise<void>;
  /** ARNs attached to the owner, in attachment order. */
  listAttachedPolicies(ownerKind: PrincipalKind, ownerName: string): Promise<string[]>;
  countPolicyAttachments(policyArn: string): Promise<number>;

  putSession(s: Session): Promise<void>;
  getSession(accessKeyId: string): Promise<Session | undefined>;
  /** Removes sessions that expired before `now`. */
  purgeSessions(now: Date): Promise<number>;
}

/** Small named values: the root key, signing-key material, settings. */
export interface KvStore {
  get(key: string): Promise<string | undefined>;
  put(key: string, value: string): Promise<void>;
}

/** One CloudTrail record as stored: the exact JSON text plus the columns Event history looks up by (spec cloudtrail-codestar §c). */
export interface StoredEvent {
  /** the record's eventID; for an imported record without one, a stable id derived from its text */
  eventId: string;
  eventTime: Date;
  /** recipientAccountId / awsRegion; imported records may lack them */
  accountId: string | null;
  region: string | null;
  eventSource: string | null;
  eventName: string | null;
  readOnly: boolean | null;
  /** Event history's Username: user name, role or federated session name, "root" */
  username: string | null;
  accessKeyId: string | null;
  /** LookupEvents Resources: ResourceType / ResourceName (the ARN, or the record's name for it) */
  resources: { type: string | null; name: string | null }[];
  /** the record, byte for byte as delivered in CloudTrailEvent */
  json: string;
  /** When the record entered Event history (retention counts from here); default eventTime. Imported records: the import time. */
  addedAt?: Date;
  /** true for records loaded by `startrail import` (not calls this server served; never delivered to trails) */
  imported?: boolean;
  /** the record's content key (store/events.ts contentKey), when the caller already has it; else computed from `json` */
  contentKey?: string;
  /** 'Data' for data events: in the record stream trails deliver (when their selectors ask), never in Event history */
  category?: 'Data';
}

export type LookupAttributeKey = 'EventId' | 'EventName' | 'ReadOnly' | 'Username' | 'ResourceType' | 'ResourceName' | 'EventSource' | 'AccessKeyId';

/** A position in Event history's newest-first order: (eventTime ms, sequence). */
export interface EventPosition { time: number; seq: number }

export interface EventQuery {
  /** Exact matches, all of which must hold (AND). ReadOnly takes "true" / "false". */
  attributes: { key: LookupAttributeKey; value: string }[];
  /** Inclusive bounds on eventTime; absent = unbounded. */
  start?: Date;
  end?: Date;
  /** Continue strictly after this position (the `next` of the previous page). */
  after?: EventPosition;
  limit: number;
}

export interface EventPage { events: StoredEvent[]; /** set when more events follow: the position of the last one returned */ next?: EventPosition }

export interface EventStore {
  /**
   * Appends records atomically (joining the caller's transaction, or in one of its own); returns how
   * many were added. A record already stored — same content, compared as canonical JSON, which
   * includes its eventID — is skipped, so importing the same data twice adds nothing. A different
   * record that reuses an eventID (documentation placeholders do) is kept.
   */
  append(events: StoredEvent[]): Promise<number>;
  /** The most recently added record with this eventID. */
  get(eventId: string): Promise<StoredEvent | undefined>;
  count(): Promise<number>;
  /** Event history, newest first (eventTime, then the order records were added); indexed for every attribute. */
  lookup(q: EventQuery): Promise<EventPage>;
  /** Removes records that entered history before `cutoff` (retention), in short transactions; returns how many. */
  purge(cutoff: Date, opts?: PurgeOptions): Promise<number>;
}

export interface PurgeOptions {
  /** keep every non-imported record with a larger seq: a trail has not delivered it yet */
  keepAfterSeq?: number;
  /** records per transaction (default 5000) */
  batchSize?: number;
}

/** An AWS CodeStar project (spec cloudtrail-codestar §g). */
export interface Project {
  id: string;
  arn: string;
  name: string;
  description?: string;
  /** the clientRequestToken of the CreateProject call, when it carried one */
  clientRequestToken?: string;
  /** ARN of the caller that created it (an IAM user, root, or a session) */
  creatorArn: string;
  state: string;
  createdAt: Date;
  /** optimistic-concurrency version, bumped by every write to the project */
  version: number;
  /** CreateProject's sourceCode and toolchain as given (they may hold a GitHub token: sealed at rest) */
  source?: { sourceCode: unknown; toolchain: unknown };
}

export type ProjectRole = 'Owner' | 'Contributor' | 'Viewer';

export interface TeamMember { projectId: string; userArn: string; projectRole: ProjectRole; remoteAccessAllowed: boolean }

export interface UserProfile { userArn: string; displayName: string; emailAddress: string; sshPublicKey?: string; createdAt: Date; lastModifiedAt: Date }

/** One row of a keyset-paged listing: `seq` orders rows by insertion and is the cursor of the next page. */
export type Seq<T> = T & { seq: number };

/** A CodeStar call made with a clientRequestToken: replayed when the same token comes with the same input. */
export interface IdempotentCall { operation: string; token: string; inputHash: string; result: string; createdAt: Date }

/**
 * CodeStar's projects, their tags, team members and resources, user profiles and idempotent calls.
 * Listings are keyset-paged by `seq` (insertion order): `after` is the last seq of the previous page,
 * so a page boundary stays put while rows are added.
 */
export interface ProjectStore {
  get(id: string): Promise<Project | undefined>;
  /** false when a project with this id already exists */
  create(p: Project): Promise<boolean>;
  /** Bumps the version iff it is `expected` (any version when undefined); false when no row matched. */
  bump(id: string, expected?: number): Promise<boolean>;
  update(id: string, fields: { name?: string; description?: string }): Promise<void>;
  /** Removes the project with its tags, team members and resources. */
  delete(id: string): Promise<void>;
  count(): Promise<number>;
  list(after: number | undefined, limit: number): Promise<Seq<Project>[]>;

  putTags(id: string, tags: Record<string, string>): Promise<void>;
  removeTags(id: string, keys: string[]): Promise<void>;
  listTags(id: string, after?: number, limit?: number): Promise<Seq<{ key: string; value: string }>[]>;

  addMember(m: TeamMember): Promise<void>;
  getMember(projectId: string, userArn: string): Promise<TeamMember | undefined>;
  updateMember(m: TeamMember): Promise<void>;
  removeMember(projectId: string, userArn: string): Promise<void>;
  listMembers(projectId: string, after?: number, limit?: number): Promise<Seq<TeamMember>[]>;
  countMembers(projectId: string): Promise<number>;
  /** How many projects the user is a team member of. */
  countMemberships(userArn: string): Promise<number>;

  addResource(projectId: string, arn: string): Promise<void>;
  listResources(projectId: string, after?: number, limit?: number): Promise<Seq<{ arn: string }>[]>;

  getProfile(userArn: string): Promise<UserProfile | undefined>;
  /** false when the user already has a profile */
  createProfile(p: UserProfile): Promise<boolean>;
  updateProfile(p: UserProfile): Promise<void>;
  deleteProfile(userArn: string): Promise<void>;
  listProfiles(after: number | undefined, limit: number): Promise<Seq<UserProfile>[]>;

  getCall(operation: string, token: string): Promise<IdempotentCall | undefined>;
  putCall(c: IdempotentCall): Promise<void>;
}

// ---- Trails and delivery (spec cloudtrail-codestar §d–f; DESIGN §3) ----

/** Basic or advanced event selectors as PutEventSelectors stored them (wire shapes); null = the default (all management events). */
export type TrailSelectors =
  | { kind: 'basic'; selectors: Record<string, unknown>[] }
  | { kind: 'advanced'; selectors: Record<string, unknown>[] };

/** A trail's settings: what CreateTrail/UpdateTrail/PutEventSelectors/AddTags set. */
export interface TrailSettings {
  s3BucketName: string;
  s3KeyPrefix?: string;
  snsTopicName?: string;
  includeGlobalServiceEvents: boolean;
  isMultiRegionTrail: boolean;
  logFileValidationEnabled: boolean;
  cloudWatchLogsLogGroupArn?: string;
  cloudWatchLogsRoleArn?: string;
  kmsKeyId?: string;
  isOrganizationTrail: boolean;
  selectors: TrailSelectors | null;
  tags: Tag[];
}

/** What GetTrailStatus reports; kept by StartLogging/StopLogging and the delivery loop. */
export interface TrailStatus {
  isLogging: boolean;
  startLoggingTime?: Date;
  stopLoggingTime?: Date;
  latestDeliveryTime?: Date;
  latestDeliveryError?: string;
  latestDeliveryAttemptTime?: Date;
  latestDeliverySucceededTime?: Date;
  latestDigestDeliveryTime?: Date;
  latestDigestDeliveryError?: string;
  /** consecutive failed delivery attempts (backoff) */
  failures: number;
  nextAttemptAt?: Date;
}

export interface Trail extends TrailSettings {
  /** internal id: a trail deleted while its last files are flushed and a new one of the same name are two rows */
  id: number;
  name: string;
  homeRegion: string;
  arn: string;
  createdAt: Date;
  status: TrailStatus;
  /** DeleteTrail while files were still due: kept until the delivery loop has flushed them, invisible to the API */
  deleted: boolean;
}

export type TrailPatch = Partial<TrailSettings> & { status?: Partial<TrailStatus>; deleted?: boolean };

/** What a batch delivers: the trail's scope at the time the batch was planned (a retry uses the same). */
export interface TrailScope {
  homeRegion: string;
  isMultiRegionTrail: boolean;
  includeGlobalServiceEvents: boolean;
  selectors: TrailSelectors | null;
}

/** A planned log-file batch, persisted before any object is written: a retry rewrites exactly these objects. */
export interface DeliveryBatch {
  /** records with from < seq <= to */
  from: number;
  to: number;
  /** delivery time (epoch ms): the key's date folders and YYYYMMDDTHHmmZ */
  time: number;
  scope: TrailScope;
  bucket: string;
  prefix?: string;
}

/**
 * One logging session: StartLogging opens it (delivering records after `startSeq`), StopLogging or
 * DeleteTrail closes it. Its cursor only moves forward, in the transaction that records the files.
 */
export interface TrailSession {
  id: number;
  trailId: number;
  startSeq: number;
  cursor: number;
  startedAt: Date;
  /** set when closed: records up to the closing call's own record are still delivered */
  stop?: {
    /** last record to deliver: at first the last one before the closing call; `resolved` once it is the closing call's own */
    seq: number; eventName: string; requestId: string; at: Date; resolved?: boolean;
  };
  batch?: DeliveryBatch;
}

/** The head of a digest chain for one (session, region). */
export interface DigestChain {
  sessionId: number;
  region: string;
  /** start of the next digest */
  periodStart: Date;
  previous?: { bucket: string; key: string; signature: string; hash: string };
}

/** A delivered log file waiting for its digest. */
export interface PendingLogFile {
  id?: number;
  sessionId: number;
  region: string;
  bucket: string;
  key: string;
  /** hex SHA-256 of the uncompressed file */
  hash: string;
  oldestEventTime: Date;
  newestEventTime: Date;
  deliveredAt: Date;
}

/** A region's digest-signing key (RSA-2048); the private half is encrypted at rest. */
export interface SigningKey {
  fingerprint: string;
  region: string;
  privateKeyPem: string;
  /** DER PKCS#1 RSAPublicKey */
  publicKeyDer: Buffer;
  validFrom: Date;
  /** set when rotated out */
  validTo?: Date;
}

/** A record as the delivery loop reads it from Event history. */
export interface TrailEvent {
  seq: number;
  region: string | null;
  eventSource: string | null;
  eventName: string | null;
  readOnly: boolean | null;
  eventTime: Date;
  json: string;
  /** a data event (S3 object call): delivered only to trails whose selectors ask for it */
  data?: boolean;
}

export interface TrailStore {
  /** Assigns the id. Names are unique among live trails per home region (checked by the caller in its transaction). */
  createTrail(t: Omit<Trail, 'id'>): Promise<Trail>;
  getTrail(id: number): Promise<Trail | undefined>;
  /** Live trails of every region, oldest first; `withDeleted` adds tombstones still being flushed. */
  listTrails(opts?: { withDeleted?: boolean }): Promise<Trail[]>;
  updateTrail(id: number, patch: TrailPatch): Promise<void>;
  /** Removes the trail and all its delivery state. */
  deleteTrail(id: number): Promise<void>;
  /** Takes or renews the trail's delivery lease (one node delivers a trail at a time); false if another holder's lease runs. */
  claimTrail(id: number, owner: string, now: Date, until: Date): Promise<boolean>;

  openSession(s: Omit<TrailSession, 'id'>): Promise<TrailSession>;
  /** Sessions of a trail, oldest first. */
  listSessions(trailId: number): Promise<TrailSession[]>;
  updateSession(id: number, patch: Partial<Pick<TrailSession, 'stop'>> & { batch?: DeliveryBatch | null }): Promise<void>;
  /**
   * Persists a new plan if the session is still at `cursor` with no plan: false if another node
   * planned or delivered meanwhile (a lease it lost), which must then not write anything.
   */
  planBatch(id: number, cursor: number, batch: DeliveryBatch): Promise<boolean>;
  /** Moves the cursor from `from` to `to` and clears the batch; false (nothing changed) if the cursor was not at `from`. */
  advanceCursor(id: number, from: number, to: number): Promise<boolean>;
  deleteSession(id: number): Promise<void>;

  listChains(sessionId: number): Promise<DigestChain[]>;
  putChain(c: DigestChain): Promise<void>;
  deleteChains(sessionId: number, region?: string): Promise<void>;
  addLogFiles(files: PendingLogFile[]): Promise<void>;
  /** Files of (session, region) waiting for a digest, delivered before `before` when given, oldest first. */
  pendingLogFiles(sessionId: number, region: string, before?: Date): Promise<PendingLogFile[]>;
  deleteLogFiles(ids: number[]): Promise<void>;

  listSigningKeys(region: string): Promise<SigningKey[]>;
  putSigningKey(k: SigningKey): Promise<void>;
  retireSigningKey(fingerprint: string, at: Date): Promise<void>;

  /**
   * The highest sequence below which every record is committed: a cursor may advance up to it and
   * never skip a record that commits later (SQLite: the last row; PostgreSQL: see store/trails.ts).
   */
  eventHorizon(now: Date): Promise<number>;
  /** The lowest cursor of any session still delivering (logging, or stopped and flushing); undefined if none. */
  lowestCursor(): Promise<number | undefined>;
  /** The last sequence this transaction can see (a session opened now starts after it). */
  lastEventSeq(): Promise<number>;
  /** Non-imported records with after < seq <= upTo, in sequence order, at most `limit`. */
  readEvents(after: number, upTo: number, limit: number): Promise<TrailEvent[]>;
  /** The sequence of the record of the call with this request id and event name after `after`, if stored. */
  findCallSeq(after: number, eventName: string, requestId: string): Promise<number | undefined>;
}

/** Data events (S3 object calls): appended by EventStore.append with `category: 'Data'`, kept out of Event history. */
export interface DataEventStore {
  /** records after sequence `after`, oldest first */
  list(after: number, limit: number): Promise<{ seq: number; json: string }[]>;
}

/**
 * A web console sign-in session (console/sessions.ts) as stored, shared by every node on the database.
 * Times are epoch milliseconds. The cookie's session id is never stored: the key is its SHA-256 (hex).
 */
export interface ConsoleSessionRecord {
  idHash: string;
  /** the session's CSRF token (a secret: backends seal it) */
  csrf: string;
  /** the STS session credentials the console acts with (secret key and token: backends seal them) */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  identity: { arn: string; accountId: string; userId: string; type: string; userName: string };
  createdAt: number;
  /** absolute end */
  expiresAt: number;
  /** the idle clock's start; written at most about once a minute (see console/sessions.ts) */
  lastSeenAt: number;
}

/** Persistence of console sessions; the expiry rules live in console/sessions.ts. */
export interface ConsoleSessionStore {
  /** Stores a new session; an idHash already stored is an error. */
  put(s: ConsoleSessionRecord): Promise<void>;
  get(idHash: string): Promise<ConsoleSessionRecord | undefined>;
  /** Moves lastSeenAt forward to `at`; never back (nodes may write out of order). */
  touch(idHash: string, at: number): Promise<void>;
  delete(idHash: string): Promise<void>;
  /** Deletes at most `limit` sessions ended at `now`: expiresAt <= now, or lastSeenAt <= idleSince. Returns how many. */
  deleteEnded(now: number, idleSince: number, limit: number): Promise<number>;
  count(): Promise<number>;
  /** Deletes the `n` sessions created first. Returns how many. */
  deleteOldest(n: number): Promise<number>;
}

export interface Store {
  identities: IdentityStore;
  kv: KvStore;
  events: EventStore;
  /** data events (S3 object calls): recorded, never in Event history */
  dataEvents: DataEventStore;
  projects: ProjectStore;
  trails: TrailStore;
  /** web console sign-in sessions */
  consoleSessions: ConsoleSessionStore;
  /** Runs fn in one transaction: everything it does through `tx` commits together or not at all. Nested calls join the outer transaction. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
