/** CloudTrail Lake contracts (docs/lake.md): event data stores, the records they keep, queries. store/lake.ts implements them. */
import type { Tag } from './identities.ts';

/** What CreateEventDataStore / UpdateEventDataStore set (wire shapes for the selectors). */
export interface LakeStoreSettings {
  advancedEventSelectors: Record<string, unknown>[];
  multiRegionEnabled: boolean;
  organizationEnabled: boolean;
  /** days */
  retentionPeriod: number;
  terminationProtectionEnabled: boolean;
  billingMode: string;
  tags: Tag[];
  /** false after StopEventDataStoreIngestion or StartIngestion=false: CREATED / STOPPED_INGESTION */
  ingestion: boolean;
}

export interface LakeEventDataStore {
  /** the ARN's last part (a UUID): what FROM names */
  id: string;
  accountId: string;
  region: string;
  name: string;
  arn: string;
  settings: LakeStoreSettings;
  /** the record stream's horizon at creation: the store keeps records after it */
  startSeq: number;
  createdAt: Date;
  updatedAt: Date;
  /** DeleteEventDataStore: PENDING_DELETION since then (7 days), until RestoreEventDataStore */
  deletedAt?: Date;
}

export interface LakeEventRow {
  storeId: string;
  seq: number;
  eventTime: Date;
  /** the record's JSON text, as in the stream */
  record: string;
}

export type LakeQueryStatus = 'QUEUED' | 'RUNNING' | 'FINISHED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';

/** A query's result: column names, and rows of rendered values (docs/lake.md#values). */
export interface LakeResult {
  columns: string[];
  rows: string[][];
}

/** Part of a stored result: its columns, its row count, and the rows asked for. */
export interface LakeResultPage {
  columns: string[];
  total: number;
  rows: string[][];
}

export interface LakeQueryStats {
  eventsMatched: number;
  eventsScanned: number;
  bytesScanned: number;
  executionTimeInMillis: number;
  resultsCount: number;
}

export interface LakeQuery {
  id: string;
  accountId: string;
  region: string;
  statement: string;
  /** ids of the event data stores the statement reads */
  stores: string[];
  status: LakeQueryStatus;
  createdAt: Date;
  finishedAt?: Date;
  deliveryS3Uri?: string;
  deliveryStatus?: string;
  errorMessage?: string;
  stats?: LakeQueryStats;
}

export type LakeImportStatus = 'INITIALIZING' | 'IN_PROGRESS' | 'FAILED' | 'STOPPED' | 'COMPLETED';

export interface LakeImportStats {
  prefixesFound: number;
  prefixesCompleted: number;
  filesCompleted: number;
  eventsCompleted: number;
  failedEntries: number;
}

/** StartImport: records of trail log files under an S3 location copied into event data stores. */
export interface LakeImport {
  id: string;
  accountId: string;
  region: string;
  /** event data store ARNs */
  destinations: string[];
  source: { s3LocationUri: string; s3BucketRegion: string; s3BucketAccessRoleArn: string };
  startTime?: Date;
  endTime?: Date;
  status: LakeImportStatus;
  createdAt: Date;
  updatedAt: Date;
  stats: LakeImportStats;
  /** the last object copied: a restarted import goes on after it */
  lastKey?: string;
}

export interface LakeReadRange {
  start?: number;
  end?: number;
  after?: { eventTime: number; seq: number };
  limit?: number;
  /** newest first: (eventtime, seq) descending, `after` the last row read */
  descending?: boolean;
}

export interface LakeReadRow {
  eventTime: number;
  seq: number;
  record: string;
}

/** Global (every account's): the service scopes by the caller's account. */
export interface LakeStore {
  createStore(s: LakeEventDataStore): Promise<void>;
  getStore(id: string): Promise<LakeEventDataStore | undefined>;
  /** every store (of one account when given), oldest first */
  listStores(accountId?: string): Promise<LakeEventDataStore[]>;
  updateStore(id: string, patch: { name?: string; settings?: LakeStoreSettings; updatedAt?: Date; deletedAt?: Date | null }): Promise<void>;
  /** the store, its records and its queries' rows are gone */
  removeStore(id: string): Promise<void>;
  /** records already kept (same store and seq) are skipped */
  appendEvents(rows: LakeEventRow[]): Promise<number>;
  /**
   * A store's records in (eventTime, seq) order, within inclusive eventTime bounds (epoch ms) when
   * given, after the `after` row (keyset paging), at most `limit`.
   */
  readEvents(storeId: string, range?: LakeReadRange): Promise<LakeReadRow[]>;
  countEvents(storeId: string): Promise<number>;
  /** removes a store's records whose eventTime is before `before`; returns how many */
  purgeEvents(storeId: string, before: Date): Promise<number>;

  createQuery(q: LakeQuery): Promise<void>;
  getQuery(id: string): Promise<LakeQuery | undefined>;
  /** an account's queries, newest first */
  listQueries(accountId: string): Promise<LakeQuery[]>;
  /** QUEUED and RUNNING queries of an account */
  countActiveQueries(accountId: string): Promise<number>;
  /**
   * Takes the oldest QUEUED query (or a RUNNING one whose runner's lease ran out: it crashed) and marks it
   * RUNNING under `owner` until `until`.
   */
  claimQuery(owner: string, now: Date, until: Date): Promise<LakeQuery | undefined>;
  /** Ends a RUNNING query still owned by `owner` (a cancelled one is left alone): false when it was not. */
  finishQuery(
    id: string,
    owner: string,
    end: { status: LakeQueryStatus; finishedAt: Date; stats?: LakeQueryStats; errorMessage?: string; results?: LakeResult; deliveryStatus?: string },
  ): Promise<boolean>;
  /** Extends a RUNNING query's lease while its runner holds it: false when it no longer does (cancelled, or taken over). */
  renewQueryLease(id: string, owner: string, until: Date): Promise<boolean>;
  /** Moves a query from one of `from` to `to` (CancelQuery): false when it was in none. */
  setQueryStatus(id: string, from: LakeQueryStatus[], to: LakeQueryStatus, finishedAt: Date): Promise<boolean>;
  /** rows [offset, offset + limit) of a finished query's result, its column names and row count; undefined when it has none */
  readResults(id: string, offset: number, limit: number): Promise<LakeResultPage | undefined>;
  /** removes queries that finished before `before` */
  purgeQueries(before: Date): Promise<number>;

  /** Appends imported records to a store, with sequence numbers below every one it holds (negative). */
  appendImported(storeId: string, rows: { eventTime: Date; record: string }[]): Promise<number>;
  createImport(i: LakeImport): Promise<void>;
  getImport(id: string): Promise<LakeImport | undefined>;
  /** an account's imports, newest first */
  listImports(accountId: string): Promise<LakeImport[]>;
  updateImport(id: string, patch: { status?: LakeImportStatus; stats?: LakeImportStats; lastKey?: string; updatedAt: Date }): Promise<void>;
  /** Takes the oldest INITIALIZING import (or an IN_PROGRESS one whose runner's lease ran out) as IN_PROGRESS under `owner`. */
  claimImport(owner: string, now: Date, until: Date): Promise<LakeImport | undefined>;
}
