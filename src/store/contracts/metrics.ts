/**
 * CloudWatch metrics and alarms (docs/cloudwatch.md), keyed by account and Region as CloudWatch
 * scopes them. store/metrics.ts implements it.
 *
 * A metric is (namespace, metric name, dimensions); its dimensions are kept with a canonical key
 * (`dimensionsKey`: the pairs sorted by name, as JSON) so that the same set given in any order is
 * the same metric, as CloudWatch treats it
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Dimension).
 */

export interface MetricDimension {
  Name: string;
  Value: string;
}

export interface MetricId {
  namespace: string;
  metricName: string;
  /** sorted by name */
  dimensions: MetricDimension[];
}

/** One datum as PutMetricData accepted it, reduced to its statistics (and its values, for percentiles). */
export interface StoredDatum {
  timestamp: Date;
  /** 'None' when the caller gave none */
  unit: string;
  sampleCount: number;
  sum: number;
  min: number;
  max: number;
  /** [value, count] pairs of a Value / Values+Counts datum; absent for a StatisticValues datum (no percentiles) */
  values?: [number, number][];
}

export interface MetricEntry extends MetricId {
  /** when data was last put for it (RecentlyActive: PT3H) */
  lastPutAt: Date;
}

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** A metric alarm: its definition as PutMetricAlarm took it (the wire members), its state and its tags. */
export interface MetricAlarmRow {
  accountId: string;
  region: string;
  name: string;
  arn: string;
  /** PutMetricAlarm's members as given (less AlarmName and Tags): the definition DescribeAlarms answers */
  definition: Record<string, unknown>;
  actionsEnabled: boolean;
  stateValue: AlarmStateValue;
  stateReason: string;
  stateReasonData?: string;
  stateUpdatedAt: Date;
  stateTransitionedAt: Date;
  configUpdatedAt: Date;
  tags: { Key: string; Value: string }[];
  /** bumped by every state change: the compare-and-set that makes a transition happen once across nodes */
  version: number;
}

export interface AlarmHistoryRow {
  accountId: string;
  region: string;
  alarmName: string;
  alarmType: 'MetricAlarm' | 'CompositeAlarm';
  timestamp: Date;
  itemType: 'ConfigurationUpdate' | 'StateUpdate' | 'Action';
  summary: string;
  data: string;
}

export interface MetricStore {
  /** Appends the data of one namespace and records each metric as active at `now`. */
  putData(accountId: string, region: string, data: (MetricId & { datum: StoredDatum })[], now: Date): Promise<void>;
  /** The data of one metric (exact dimensions) with start ≤ timestamp < end, oldest first. */
  data(accountId: string, region: string, metric: MetricId, start: Date, end: Date): Promise<StoredDatum[]>;
  /** The metrics of a namespace (or all), ordered by (namespace, metric name, dimensions key). */
  listMetrics(accountId: string, region: string, filter: { namespace?: string; metricName?: string; activeSince?: Date }): Promise<MetricEntry[]>;

  getAlarm(accountId: string, region: string, name: string): Promise<MetricAlarmRow | undefined>;
  /** The account's alarms in the Region, by name. */
  listAlarms(accountId: string, region: string): Promise<MetricAlarmRow[]>;
  /** Every alarm of every account and Region (the evaluation loop). */
  allAlarms(): Promise<MetricAlarmRow[]>;
  /** Creates or replaces the alarm (state and version kept from `row` as given). */
  putAlarm(row: MetricAlarmRow): Promise<void>;
  deleteAlarm(accountId: string, region: string, name: string): Promise<boolean>;
  /**
   * Sets the alarm's state if its version is still `expectedVersion` (bumping it); false when another
   * writer changed the state first (the caller rolls back: the transition happened elsewhere).
   */
  setState(
    accountId: string,
    region: string,
    name: string,
    expectedVersion: number,
    state: { value: AlarmStateValue; reason: string; reasonData?: string; at: Date; transitioned: boolean },
  ): Promise<boolean>;
  setActionsEnabled(accountId: string, region: string, name: string, enabled: boolean): Promise<void>;
  setTags(accountId: string, region: string, name: string, tags: { Key: string; Value: string }[]): Promise<void>;

  addHistory(item: AlarmHistoryRow): Promise<void>;
  /** History items, newest first (or oldest first), filtered. */
  history(
    accountId: string,
    region: string,
    filter: { alarmName?: string; types?: string[]; start?: Date; end?: Date; oldestFirst?: boolean },
  ): Promise<AlarmHistoryRow[]>;
  /** Removes data older than `before` (CloudWatch's retention: 15 months). */
  purgeData(before: Date, limit: number): Promise<number>;
}

/** The canonical key of a dimension set: sorted by name, as JSON. */
export function dimensionsKey(dimensions: MetricDimension[]): string {
  return JSON.stringify(sortDimensions(dimensions).map((d) => [d.Name, d.Value]));
}

export function sortDimensions(dimensions: MetricDimension[]): MetricDimension[] {
  return [...dimensions].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
}
