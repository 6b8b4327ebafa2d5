/**
 * The one declaration of the database's tables and rows, for the Kysely query builder: the one set
 * of queries both dialects run (migrations/ creates the tables; docs/architecture.md#storage).
 * Every store module types its rows from here: `Selectable<T>` for a row read, `Insertable<T>` for
 * a row written. Times are epoch milliseconds; booleans are integers 0/1 (SQLite has no boolean).
 */
import type { Generated, Selectable } from 'kysely';

interface KvTable {
  key: string;
  value: string;
}

/** migrations/001-identities.ts */
interface UsersTable {
  user_id: string;
  user_name: string;
  name_lower: string;
  path: string;
  arn: string;
  create_date: number;
  tags: string;
  /** migrations/011-iam-groups.ts */
  permissions_boundary: string | null;
  /** migrations/018-accounts.ts */
  account_id: string;
}
/** migrations/011-iam-groups.ts */
interface IamGroupsTable {
  group_id: string;
  group_name: string;
  name_lower: string;
  path: string;
  arn: string;
  create_date: number;
  /** migrations/018-accounts.ts */
  account_id: string;
}
interface PolicyVersionsTable {
  policy_arn: string;
  version_id: string;
  document: string;
  create_date: number;
}
interface IamGroupMembersTable {
  group_name: string;
  user_name: string;
  added_at: number;
}
interface AccessKeysTable {
  access_key_id: string;
  secret: string;
  user_name: string | null;
  status: string;
  create_date: number;
  /** migrations/018-accounts.ts */
  account_id: string;
}
interface RolesTable {
  role_id: string;
  role_name: string;
  name_lower: string;
  path: string;
  arn: string;
  trust_policy: string;
  description: string | null;
  max_session_duration: number;
  create_date: number;
  tags: string;
  /** migrations/011-iam-groups.ts */
  permissions_boundary: string | null;
  /** migrations/018-accounts.ts */
  account_id: string;
}
interface InlinePoliciesTable {
  owner_kind: string;
  owner_name: string;
  policy_name: string;
  document: string;
}
interface ManagedPoliciesTable {
  arn: string;
  policy_id: string;
  policy_name: string;
  path: string;
  document: string;
  default_version_id: string;
  description: string | null;
  create_date: number;
  update_date: number;
  tags: string;
  /** migrations/011-iam-groups.ts: the number of the newest version ever made */
  last_version: Generated<number>;
  /** migrations/018-accounts.ts */
  account_id: string;
}
interface PolicyAttachmentsTable {
  seq: Generated<number>;
  owner_kind: string;
  owner_name: string;
  policy_arn: string;
  /** migrations/018-accounts.ts */
  account_id: string;
}
interface SessionsTable {
  access_key_id: string;
  secret: string;
  token_hash: string;
  expiration: number;
  data: string;
}

/** migrations/002-events.ts and 007-data-events-stream.ts: the one record stream */
interface EventsTable {
  seq: Generated<number>;
  event_id: string;
  content_key: string;
  event_time: number;
  added_at: number;
  imported: number;
  account_id: string | null;
  region: string | null;
  event_source: string | null;
  event_name: string | null;
  read_only: number | null;
  username: string | null;
  access_key_id: string | null;
  record: string;
  /** 1: a data event — in the record stream trails deliver (when their selectors ask), not in Event history */
  data: number;
}
interface EventResourcesTable {
  seq: number;
  pos: number;
  event_time: number;
  resource_type: string | null;
  resource_name: string | null;
}

/** migrations/003-projects.ts */
interface ProjectsTable {
  seq: Generated<number>;
  id: string;
  arn: string;
  name: string;
  description: string | null;
  client_request_token: string | null;
  creator_arn: string;
  state: string;
  created_at: number;
  version: number;
  source: string | null;
  /** migrations/018-accounts.ts */
  account_id: string;
}
interface ProjectTagsTable {
  seq: Generated<number>;
  project_id: string;
  tag_key: string;
  tag_value: string;
}
interface ProjectMembersTable {
  seq: Generated<number>;
  project_id: string;
  user_arn: string;
  project_role: string;
  remote_access: number;
}
interface ProjectResourcesTable {
  seq: Generated<number>;
  project_id: string;
  arn: string;
}
interface UserProfilesTable {
  seq: Generated<number>;
  user_arn: string;
  display_name: string;
  email_address: string;
  ssh_public_key: string | null;
  created_at: number;
  updated_at: number;
}
interface CodestarCallsTable {
  operation: string;
  token: string;
  input_hash: string;
  result: string;
  created_at: number;
}

/** migrations/004-trails.ts */
interface TrailsTable {
  id: Generated<number>;
  name: string;
  home_region: string;
  arn: string;
  created_at: number;
  deleted: number;
  settings: string;
  status: string;
  lease_owner: string | null;
  lease_until: number | null;
}
interface TrailSessionsTable {
  id: Generated<number>;
  trail_id: number;
  start_seq: number;
  cursor: number;
  started_at: number;
  stop: string | null;
  batch: string | null;
}
interface TrailChainsTable {
  session_id: number;
  account_id: string;
  region: string;
  organization_id: string | null;
  period_start: number;
  previous: string | null;
}
interface TrailLogFilesTable {
  id: Generated<number>;
  session_id: number;
  account_id: string;
  region: string;
  bucket: string;
  object_key: string;
  hash: string;
  oldest_event_time: number;
  newest_event_time: number;
  delivered_at: number;
}
interface SigningKeysTable {
  fingerprint: string;
  region: string;
  private_key: string;
  public_key: string;
  valid_from: number;
  valid_to: number | null;
}

/** migrations/006-console-sessions.ts */
interface ConsoleSessionsTable {
  seq: Generated<number>;
  id_hash: string;
  access_key_id: string;
  secrets: string;
  identity: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
}

/** migrations/008-queues.ts */
interface SqsQueuesTable {
  account_id: string;
  name: string;
  arn: string;
  fifo: number;
  attributes: string;
  tags: string;
  created_at: number;
  modified_at: number;
}
interface SqsDeletedQueuesTable {
  account_id: string;
  name: string;
  deleted_at: number;
}
interface SqsMessagesTable {
  seq: Generated<number>;
  account_id: string;
  queue_name: string;
  message_id: string;
  body: string;
  message_attributes: string | null;
  system_attributes: string;
  md5_body: string;
  md5_attributes: string | null;
  md5_system: string | null;
  sent_at: number;
  visible_at: number;
  receive_count: Generated<number>;
  first_received_at: number | null;
  receipt: string | null;
  group_id: string | null;
  dedup_id: string | null;
}
interface SqsDedupTable {
  account_id: string;
  queue_name: string;
  dedup_key: string;
  message_id: string;
  seq: number;
  expires_at: number;
}

/** migrations/009-topics.ts */
interface SnsTopicsTable {
  arn: string;
  account_id: string;
  region: string;
  name: string;
  attributes: string;
  tags: string;
  created_at: number;
}
interface SnsSubscriptionsTable {
  arn: string;
  topic_arn: string;
  account_id: string;
  region: string;
  owner: string;
  protocol: string;
  endpoint: string;
  confirmed: number;
  token: string | null;
  attributes: string;
  created_at: number;
}
interface SnsDeliveriesTable {
  id: Generated<number>;
  subscription_arn: string;
  topic_arn: string;
  endpoint: string;
  message_type: string;
  message_id: string;
  body: string;
  raw: number;
  attempts: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  created_at: number;
}
interface SnsSigningKeysTable {
  slot: number;
  id: string;
  private_key: string;
  certificate: string;
  created_at: number;
}

/** migrations/010-bucket-notifications.ts */
interface BucketNotificationsTable {
  account_id: string;
  bucket: string;
  configuration: string;
  sequence: number;
  updated_at: number;
}

/** migrations/013-record-consumers.ts */
interface RecordConsumersTable {
  name: string;
  cursor: number;
  lease_owner: string | null;
  lease_until: number | null;
  created_at: number;
}

/** migrations/014-event-buses.ts */
interface EbBusesTable {
  account_id: string;
  region: string;
  name: string;
  arn: string;
  body: string;
  created_at: number;
  updated_at: number;
}
interface EbRulesTable {
  account_id: string;
  region: string;
  bus_name: string;
  name: string;
  arn: string;
  state: string;
  schedule: string | null;
  body: string;
  created_at: number;
  updated_at: number;
}
interface EbTargetsTable {
  account_id: string;
  region: string;
  bus_name: string;
  rule_name: string;
  id: string;
  arn: string;
  body: string;
}
interface EbTagsTable {
  arn: string;
  key: string;
  account_id: string;
  value: string;
}
interface EbConnectionsTable {
  account_id: string;
  region: string;
  name: string;
  arn: string;
  state: string;
  body: string;
  auth_sealed: string;
  created_at: number;
  updated_at: number;
}
interface EbApiDestinationsTable {
  account_id: string;
  region: string;
  name: string;
  arn: string;
  connection_arn: string;
  body: string;
  created_at: number;
  updated_at: number;
}

/** migrations/015-event-deliveries.ts */
interface EventDeliveriesTable {
  id: Generated<number>;
  account_id: string;
  region: string;
  rule_arn: string;
  target_id: string;
  target_arn: string;
  event_id: string;
  event_time: number;
  body: string;
  target: string;
  attempts: number;
  next_attempt_at: number;
  last_error_code: string | null;
  last_error_message: string | null;
  lease_owner: string | null;
  lease_until: number | null;
  created_at: number;
}
interface EventSchedulesTable {
  rule_arn: string;
  account_id: string;
  region: string;
  last_fire_at: number;
}

/** migrations/016-logs.ts */
interface LogsGroupsTable {
  id: Generated<number>;
  account_id: string;
  region: string;
  name: string;
  created_at: number;
  retention_days: number | null;
  kms_key_id: string | null;
  class: string;
  deletion_protection: number;
  tags: string;
  stored_bytes: number;
}
interface LogsStreamsTable {
  id: Generated<number>;
  group_id: number;
  name: string;
  created_at: number;
  first_event: number | null;
  last_event: number | null;
  last_sort: number;
  last_ingestion: number | null;
  uploads: number;
}
interface LogsEventsTable {
  seq: Generated<number>;
  group_id: number;
  stream_id: number;
  ts: number;
  ingested_at: number;
  bytes: number;
  message: string;
}
interface LogsMetricFiltersTable {
  account_id: string;
  region: string;
  group_name: string;
  name: string;
  pattern: string;
  transformations: string;
  extra: string;
  created_at: number;
}
interface LogsResourcePoliciesTable {
  account_id: string;
  region: string;
  name: string;
  document: string;
  updated_at: number;
}

/** migrations/017-metrics.ts */
interface CwMetricsTable {
  account_id: string;
  region: string;
  namespace: string;
  metric_name: string;
  dims_key: string;
  last_put_at: number;
}
interface CwDataTable {
  id: Generated<number>;
  account_id: string;
  region: string;
  namespace: string;
  metric_name: string;
  dims_key: string;
  ts: number;
  unit: string;
  sample_count: number;
  sum: number;
  min: number;
  max: number;
  vals: string | null;
}
interface CwAlarmsTable {
  account_id: string;
  region: string;
  name: string;
  arn: string;
  definition: string;
  actions_enabled: number;
  state_value: string;
  state_reason: string;
  state_reason_data: string | null;
  state_updated_at: number;
  state_transitioned_at: number;
  config_updated_at: number;
  tags: string;
  version: number;
}
interface CwAlarmHistoryTable {
  id: Generated<number>;
  account_id: string;
  region: string;
  alarm_name: string;
  alarm_type: string;
  ts: number;
  item_type: string;
  summary: string;
  data: string;
}

/** migrations/021-lake.ts */
interface LakeStoresTable {
  id: string;
  account_id: string;
  region: string;
  name: string;
  arn: string;
  settings: string;
  start_seq: number;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}
interface LakeEventsTable {
  store_id: string;
  seq: number;
  event_time: number;
  record: string;
}
interface LakeImportsTable {
  id: string;
  account_id: string;
  region: string;
  destinations: string;
  source: string;
  start_time: number | null;
  end_time: number | null;
  status: string;
  created_at: number;
  updated_at: number;
  stats: string;
  last_key: string | null;
  lease_owner: string | null;
  lease_until: number | null;
}
interface LakeQueriesTable {
  id: string;
  account_id: string;
  region: string;
  statement: string;
  stores: string;
  status: string;
  created_at: number;
  finished_at: number | null;
  lease_owner: string | null;
  lease_until: number | null;
  delivery_s3_uri: string | null;
  delivery_status: string | null;
  error_message: string | null;
  stats: string | null;
  results: string | null;
}

interface LakeQueryResultsTable {
  query_id: string;
  chunk: number;
  rows: string;
}

export interface DB {
  kv: KvTable;
  users: UsersTable;
  access_keys: AccessKeysTable;
  roles: RolesTable;
  inline_policies: InlinePoliciesTable;
  managed_policies: ManagedPoliciesTable;
  policy_attachments: PolicyAttachmentsTable;
  sessions: SessionsTable;
  events: EventsTable;
  event_resources: EventResourcesTable;
  projects: ProjectsTable;
  project_tags: ProjectTagsTable;
  project_members: ProjectMembersTable;
  project_resources: ProjectResourcesTable;
  user_profiles: UserProfilesTable;
  codestar_calls: CodestarCallsTable;
  trails: TrailsTable;
  trail_sessions: TrailSessionsTable;
  trail_chains: TrailChainsTable;
  trail_log_files: TrailLogFilesTable;
  signing_keys: SigningKeysTable;
  console_sessions: ConsoleSessionsTable;
  iam_groups: IamGroupsTable;
  iam_group_members: IamGroupMembersTable;
  policy_versions: PolicyVersionsTable;
  sqs_queues: SqsQueuesTable;
  sqs_deleted_queues: SqsDeletedQueuesTable;
  sqs_messages: SqsMessagesTable;
  sqs_dedup: SqsDedupTable;
  sns_topics: SnsTopicsTable;
  sns_subscriptions: SnsSubscriptionsTable;
  sns_deliveries: SnsDeliveriesTable;
  sns_signing_keys: SnsSigningKeysTable;
  bucket_notifications: BucketNotificationsTable;
  record_consumers: RecordConsumersTable;
  lake_stores: LakeStoresTable;
  lake_events: LakeEventsTable;
  lake_queries: LakeQueriesTable;
  lake_query_results: LakeQueryResultsTable;
  lake_imports: LakeImportsTable;
  eb_buses: EbBusesTable;
  eb_rules: EbRulesTable;
  eb_targets: EbTargetsTable;
  eb_tags: EbTagsTable;
  eb_connections: EbConnectionsTable;
  eb_api_destinations: EbApiDestinationsTable;
  event_deliveries: EventDeliveriesTable;
  event_schedules: EventSchedulesTable;
  logs_groups: LogsGroupsTable;
  logs_streams: LogsStreamsTable;
  logs_events: LogsEventsTable;
  logs_metric_filters: LogsMetricFiltersTable;
  logs_resource_policies: LogsResourcePoliciesTable;
  cw_metrics: CwMetricsTable;
  cw_data: CwDataTable;
  cw_alarms: CwAlarmsTable;
  cw_alarm_history: CwAlarmHistoryTable;
  accounts: AccountsTable;
  organizations: OrganizationsTable;
  organization_members: OrganizationMembersTable;
  organization_service_access: OrganizationServiceAccessTable;
  organizational_units: OrganizationalUnitsTable;
  create_account_requests: CreateAccountRequestsTable;
}

/** migrations/018-accounts.ts */
interface AccountsTable {
  account_id: string;
  name: string;
  email: string;
  email_lower: string;
  status: string;
  created_at: number;
}
interface OrganizationsTable {
  org_id: string;
  arn: string;
  feature_set: string;
  management_account_id: string;
  root_id: string;
  created_at: number;
}
interface OrganizationMembersTable {
  account_id: string;
  org_id: string;
  parent_id: string;
  joined_method: string;
  joined_at: number;
}
interface OrganizationServiceAccessTable {
  org_id: string;
  service_principal: string;
  enabled_at: number;
}
/** migrations/019-organizations.ts */
interface OrganizationalUnitsTable {
  ou_id: string;
  org_id: string;
  parent_id: string;
  name: string;
  created_at: number;
}
interface CreateAccountRequestsTable {
  request_id: string;
  org_id: string;
  account_name: string;
  email: string;
  role_name: string;
  state: string;
  failure_reason: string | null;
  account_id: string | null;
  requested_at: number;
  completed_at: number | null;
}

/** A row of `table` as read. */
export type Row<T extends keyof DB> = Selectable<DB[T]>;

/** An `events` row as appended: every column but the generated `seq`. */
export type EventInsert = Omit<Row<'events'>, 'seq'>;
/** An `event_resources` row before its record's `seq` is known: named by the record's content key. */
export type ResourceInsert = Omit<Row<'event_resources'>, 'seq'> & { content_key: string };

export type Dialect = 'sqlite' | 'postgres';
