/**
 * CloudWatch Logs (docs/logs.md): log groups, log streams, log events, metric filters and resource
 * policies, per (account, Region), as AWS scopes them. Times cross the interface as epoch
 * milliseconds, as the Logs API carries them. Events are kept in (stream, timestamp, seq) and
 * (group, timestamp, seq) order, `seq` being the order of ingestion, so a page of a stream or of a
 * group is one index range at any size.
 */

/** Where a group lives: one account, one Region. */
export interface LogScope {
  accountId: string;
  region: string;
}

export interface LogGroupRecord extends LogScope {
  name: string;
  createdAt: number;
  retentionInDays?: number;
  kmsKeyId?: string;
  logGroupClass: 'STANDARD' | 'INFREQUENT_ACCESS' | 'DELIVERY';
  deletionProtection: boolean;
  tags: Record<string, string>;
  /** UTF-8 bytes of the messages stored (less what retention purged) */
  storedBytes: number;
  /** how many metric filters the group has */
  metricFilterCount: number;
}

export interface LogStreamRecord {
  name: string;
  createdAt: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  /** how many PutLogEvents batches the stream took: the upload sequence token's number */
  uploads: number;
}

/** An event's place in its stream or group: time first, then order of ingestion. */
export interface LogPosition {
  timestamp: number;
  seq: number;
}

export interface StoredLogEvent extends LogPosition {
  streamName: string;
  message: string;
  ingestionTime: number;
}

export interface MetricFilterRecord {
  groupName: string;
  filterName: string;
  filterPattern: string;
  /** the wire MetricTransformation list as PutMetricFilter took it */
  transformations: {
    metricName: string;
    metricNamespace: string;
    metricValue: string;
    defaultValue?: number;
    dimensions?: Record<string, string>;
    unit?: string;
  }[];
  createdAt: number;
  /** the other PutMetricFilter members, as given (applyOnTransformedLogs, fieldSelectionCriteria, emitSystemFieldDimensions) */
  extra: Record<string, unknown>;
}

export interface LogResourcePolicy {
  policyName: string;
  policyDocument: string;
  lastUpdatedTime: number;
}

export interface LogStore {
  /** false when the name is taken in that account and Region */
  createGroup(g: LogGroupRecord): Promise<boolean>;
  getGroup(scope: LogScope, name: string): Promise<LogGroupRecord | undefined>;
  /**
   * Groups by name (byte order) after `after`: `prefix` a range of names, `pattern` a
   * case-insensitive substring (DescribeLogGroups' logGroupNamePattern), `logGroupClass` exact.
   */
  listGroups(scope: LogScope, opts: { prefix?: string; pattern?: string; logGroupClass?: string; after?: string; limit: number }): Promise<LogGroupRecord[]>;
  /** Changes retention (null: never expire) and/or tags; false when there is no such group. */
  updateGroup(scope: LogScope, name: string, patch: { retentionInDays?: number | null; tags?: Record<string, string> }): Promise<boolean>;
  /** Removes the group with its streams, events and metric filters; false when there was none. */
  deleteGroup(scope: LogScope, name: string): Promise<boolean>;
  /** Every group that has a retention setting, of every account and Region (the purge). */
  groupsWithRetention(): Promise<LogGroupRecord[]>;

  /** false when the group is missing or the stream exists */
  createStream(scope: LogScope, group: string, stream: LogStreamRecord): Promise<boolean>;
  getStream(scope: LogScope, group: string, name: string): Promise<LogStreamRecord | undefined>;
  /**
   * Streams of a group. By name: after `after.name`; by last event time (streams without events
   * count as time 0): after (`after.time`, `after.name`) in the chosen direction.
   */
  listStreams(
    scope: LogScope,
    group: string,
    opts: { prefix?: string; orderBy: 'LogStreamName' | 'LastEventTime'; descending: boolean; after?: { name: string; time?: number }; limit: number },
  ): Promise<LogStreamRecord[]>;
  /** Removes the stream and its events; false when there was none. */
  deleteStream(scope: LogScope, group: string, name: string): Promise<boolean>;

  /**
   * Appends events (already checked and in order) to an existing stream, updating its first / last
   * event time, last ingestion time and upload count and the group's stored bytes; returns the
   * stream's new upload count. Zero events still count as an upload.
   */
  appendEvents(scope: LogScope, group: string, stream: string, events: { timestamp: number; message: string }[], ingestionTime: number): Promise<number>;
  /**
   * A stream's events. forward: ascending, after `from` (else from `startTime`); backward: the
   * `limit` events before `from` (else before `endTime`), answered ascending. Both keep to
   * [startTime, endTime).
   */
  readStream(
    scope: LogScope,
    group: string,
    stream: string,
    opts: { startTime?: number; endTime?: number; from?: LogPosition; direction: 'forward' | 'backward'; limit: number },
  ): Promise<StoredLogEvent[]>;
  /** A group's events in (timestamp, seq) order after `from`, within [startTime, endTime), of the named streams or those with `streamPrefix`. */
  readGroup(
    scope: LogScope,
    group: string,
    opts: { streams?: string[]; streamPrefix?: string; startTime?: number; endTime?: number; from?: LogPosition; limit: number },
  ): Promise<StoredLogEvent[]>;
  /** Deletes up to `limit` events of the group older than `before` (event timestamp); returns how many. */
  purgeBefore(scope: LogScope, group: string, before: number, limit: number): Promise<number>;

  /** Creates or replaces the group's filter of that name (keeping its creation time on replace). */
  putMetricFilter(scope: LogScope, f: MetricFilterRecord): Promise<void>;
  /** Filters by (group, name): of one group when `group` is given; `prefix` on the filter name (only with a group). */
  listMetricFilters(
    scope: LogScope,
    opts: { group?: string; prefix?: string; metricName?: string; metricNamespace?: string; after?: { group: string; name: string }; limit: number },
  ): Promise<MetricFilterRecord[]>;
  deleteMetricFilter(scope: LogScope, group: string, name: string): Promise<boolean>;

  /** Creates or replaces the account-level policy of that name. */
  putResourcePolicy(scope: LogScope, p: LogResourcePolicy): Promise<void>;
  listResourcePolicies(scope: LogScope): Promise<LogResourcePolicy[]>;
  deleteResourcePolicy(scope: LogScope, name: string): Promise<boolean>;
}
