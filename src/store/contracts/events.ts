/** Record-stream contracts (Event history and data events): store/events.ts and store/data-events.ts implement them. */
/** One CloudTrail record as stored: the exact JSON text plus the columns Event history looks up by (docs/architecture.md#event-history). */
export interface StoredEvent {
  /** the record's eventID; for an imported record without one, a stable id derived from its text */
  eventId: string;
  eventTime: Date;
  /**
   * The account whose Event history holds the record: its recipientAccountId (and awsRegion below),
   * or, for an imported record or one without a recipient account, the account of the store view that appended it (docs/accounts.md#event-history)
   */
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
  /** the record's content key (store/events.ts parsedContentKey; stored behind its event id's first characters, storedKey), when the caller already has it; else computed from `json` */
  contentKey?: string;
  /** 'Data' for data events: in the record stream trails deliver (when their selectors ask), never in Event history */
  category?: 'Data';
}

export type LookupAttributeKey = 'EventId' | 'EventName' | 'ReadOnly' | 'Username' | 'ResourceType' | 'ResourceName' | 'EventSource' | 'AccessKeyId';

/** A position in Event history's newest-first order: (eventTime ms, sequence). */
export interface EventPosition {
  time: number;
  seq: number;
}

export interface EventQuery {
  /** Exact matches, all of which must hold (AND). ReadOnly takes "true" / "false". */
  attributes: { key: LookupAttributeKey; value: string }[];
  /** Only records of this Region (their awsRegion); absent = every Region. A record without one is in none. */
  region?: string;
  /** Inclusive bounds on eventTime; absent = unbounded. */
  start?: Date;
  end?: Date;
  /** Continue strictly after this position (the `next` of the previous page). */
  after?: EventPosition;
  limit: number;
}

export interface EventPage {
  events: StoredEvent[] /** set when more events follow: the position of the last one returned */;
  next?: EventPosition;
}

/** Event history of the Store view's account: get, count and lookup see that account's records only. */
export interface EventStore {
  /**
   * Appends records atomically (joining the caller's transaction, or in one of its own); returns how
   * many were added. A record already stored — same content, compared as canonical JSON, which
   * includes its eventID — is skipped, so importing the same data twice adds nothing. A different
   * record that reuses an eventID (documentation placeholders do) is kept.
   */
  append(events: StoredEvent[]): Promise<number>;
  /**
   * The audited call's append: the same records, added with the caller's transaction, but they may be
   * written only when that transaction commits (on SQLite, all of a group commit's records in one
   * statement just before its COMMIT: docs/performance.md#audit-at-commit), so the transaction itself
   * does not read them back. Committed with the transaction or not at all, as `append`; outside a
   * transaction it is `append`.
   */
  appendAtCommit(events: StoredEvent[]): Promise<void>;
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

/** Data events (S3 object calls): appended by EventStore.append with `category: 'Data'`, kept out of Event history. */
export interface DataEventStore {
  /** records after sequence `after`, oldest first */
  list(after: number, limit: number): Promise<{ seq: number; json: string }[]>;
}
