/** Trail and delivery contracts (docs/architecture.md#delivery, https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html, https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html; docs/architecture.md#delivery): store/trails.ts and store/trail-events.ts implement them. */
import type { Tag } from './identities.ts';

/** Basic or advanced event selectors as PutEventSelectors stored them (wire shapes); null = the default (all management events). */
export type TrailSelectors = { kind: 'basic'; selectors: Record<string, unknown>[] } | { kind: 'advanced'; selectors: Record<string, unknown>[] };

/** A trail's settings: what CreateTrail/UpdateTrail/PutEventSelectors/AddTags set. */
export interface TrailSettings {
  s3BucketName: string;
  s3KeyPrefix?: string;
  /** the SNS topic's ARN (CreateTrail/UpdateTrail take a name or an ARN; docs/notifications.md) */
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
  /** CloudTrail's SNS notification after each log file (docs/notifications.md): the last one sent, the last attempt, its error */
  latestNotificationTime?: Date;
  latestNotificationAttemptTime?: Date;
  latestNotificationSucceededTime?: Date;
  latestNotificationError?: string;
  /** delivery to the trail's CloudWatch Logs log group (docs/trail-logs.md): the last records delivered, the last error, its backoff */
  latestCloudWatchLogsDeliveryTime?: Date;
  latestCloudWatchLogsDeliveryError?: string;
  cloudWatchLogsFailures?: number;
  cloudWatchLogsNextAttemptAt?: Date;
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
  /** the trail's account: only its records are delivered (absent in plans made before accounts: any) */
  accountId?: string;
  /** an organization trail: the records of these accounts (its members when the batch was planned), under AWSLogs/<id>/<account>/ */
  organization?: { id: string; accounts: string[] };
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
    seq: number;
    eventName: string;
    requestId: string;
    at: Date;
    resolved?: boolean;
  };
  batch?: DeliveryBatch;
}

/** The head of a digest chain for one (session, account, region). */
export interface DigestChain {
  sessionId: number;
  /** the account whose files the chain lists: the trail's, or a member account of an organization trail */
  accountId: string;
  region: string;
  /** an organization trail's chain: its digests live under AWSLogs/<organizationId>/<accountId>/ */
  organizationId?: string;
  /** start of the next digest */
  periodStart: Date;
  previous?: { bucket: string; key: string; signature: string; hash: string };
}

/** Which chain of a session: an account's region. */
export interface ChainKey {
  accountId: string;
  region: string;
}

/** A delivered log file waiting for its digest. */
export interface PendingLogFile {
  id?: number;
  sessionId: number;
  accountId: string;
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
  /** the account whose Event history holds the record (its recipientAccountId) */
  accountId: string;
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

  /** The session's chains, ordered by account then region. */
  listChains(sessionId: number): Promise<DigestChain[]>;
  putChain(c: DigestChain): Promise<void>;
  /** Removes the session's chains and their pending files: all, or one (account, region) chain's. */
  deleteChains(sessionId: number, chain?: ChainKey): Promise<void>;
  addLogFiles(files: PendingLogFile[]): Promise<void>;
  /** Files of one chain waiting for a digest, delivered before `before` when given, oldest first. */
  pendingLogFiles(chain: ChainKey & { sessionId: number }, before?: Date): Promise<PendingLogFile[]>;
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
