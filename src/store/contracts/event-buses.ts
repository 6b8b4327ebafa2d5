/**
 * EventBridge contracts (docs/eventbridge.md): event buses, rules and their targets, connections and
 * API destinations, and the tags of buses and rules; store/event-buses.ts implements them. Every row
 * carries its account id and region (EventBridge resources are regional). Times are Dates here,
 * epoch ms at rest. Names are unique per (account, region) — rules per (account, region, bus).
 */

export type RuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

/**
 * An event bus (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateEventBus.html).
 * The bus `default` exists in every (account, region) without being created: `getBus` answers it
 * (createdAt/updatedAt the epoch until UpdateEventBus or PutPermission stores a row for it).
 */
export interface EventBus {
  accountId: string;
  region: string;
  name: string;
  arn: string;
  /** the resource-based policy (PutPermission / RemovePermission), JSON text */
  policy?: string;
  description?: string;
  /** KmsKeyIdentifier, as given */
  kmsKeyIdentifier?: string;
  /** DeadLetterConfig.Arn */
  deadLetterArn?: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface EventTarget {
  id: string;
  arn: string;
  roleArn?: string;
  input?: string;
  inputPath?: string;
  inputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
  retryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
  deadLetterArn?: string;
  sqsMessageGroupId?: string;
  httpParameters?: { PathParameterValues?: string[]; HeaderParameters?: Record<string, string>; QueryStringParameters?: Record<string, string> };
  /** the wire Target exactly as PutTargets took it (ListTargetsByRule answers it) */
  wire: Record<string, unknown>;
}

export interface EventRule {
  accountId: string;
  region: string;
  busName: string;
  name: string;
  arn: string;
  eventPattern?: string;
  scheduleExpression?: string;
  state: RuleState;
  description?: string;
  roleArn?: string;
  managedBy?: string;
  /** the account that created the rule (DescribeRule's CreatedBy) */
  createdBy: string;
  /** by id */
  targets: EventTarget[];
  createdAt: Date;
  updatedAt: Date;
}

/** A rule as PutRule writes it: everything but its targets, which PutTargets / RemoveTargets change. */
export type NewEventRule = Omit<EventRule, 'targets'>;

export type ConnectionAuthorizationType = 'API_KEY' | 'BASIC' | 'OAUTH_CLIENT_CREDENTIALS';

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateConnection.html */
export interface Connection {
  accountId: string;
  region: string;
  name: string;
  arn: string;
  description?: string;
  authorizationType: ConnectionAuthorizationType;
  /** CREATING | UPDATING | DELETING | AUTHORIZED | DEAUTHORIZED | AUTHORIZING | DEAUTHORIZING | ACTIVE | FAILED_CONNECTIVITY */
  state: string;
  stateReason?: string;
  /** the ARN of the secret AWS would keep the credentials in (DescribeConnection's SecretArn) */
  secretArn: string;
  /** auth parameters with secrets in plain text (the backend seals them at rest with the secret box) */
  authParameters: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
  lastAuthorizedAt?: Date;
}

/** https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateApiDestination.html */
export interface ApiDestination {
  accountId: string;
  region: string;
  name: string;
  arn: string;
  description?: string;
  connectionArn: string;
  invocationEndpoint: string;
  httpMethod: string;
  invocationRateLimitPerSecond?: number;
  /** ACTIVE | INACTIVE */
  state: string;
  createdAt: Date;
  updatedAt: Date;
}

/** Paging by name: `after` is the last name of the previous page. */
export interface NamePage {
  prefix?: string;
  after?: string;
  limit: number;
}

export interface EventBusStore {
  /** Adds a custom bus with its tags; false when one of that name exists (nothing changes). */
  createBus(bus: EventBus, tags: Record<string, string>): Promise<boolean>;
  /** The bus; `default` always (a stored row once it was changed, otherwise one made up). */
  getBus(accountId: string, region: string, name: string): Promise<EventBus | undefined>;
  /** Buses by name (`default` among them), after `after`, at most `limit`. */
  listBuses(accountId: string, region: string, page: NamePage): Promise<EventBus[]>;
  /** How many custom buses the (account, region) has (the quota). */
  countBuses(accountId: string, region: string): Promise<number>;
  /**
   * Changes the bus (for `default`, stores its row first). `null` removes a member; undefined keeps it.
   */
  updateBus(
    accountId: string,
    region: string,
    name: string,
    patch: { policy?: string | null; description?: string | null; kmsKeyIdentifier?: string | null; deadLetterArn?: string | null; updatedAt: Date },
  ): Promise<void>;
  /** Removes a custom bus with its rules, their targets and every tag of them. */
  deleteBus(accountId: string, region: string, name: string): Promise<void>;

  /** Adds or replaces the rule (keeping its targets and createdAt when it exists); true when it was new. */
  putRule(rule: NewEventRule): Promise<boolean>;
  getRule(accountId: string, region: string, busName: string, name: string): Promise<EventRule | undefined>;
  /** Rules of the bus by name, after `after`, at most `limit`, with their targets. */
  listRules(accountId: string, region: string, busName: string, page: NamePage): Promise<EventRule[]>;
  countRules(accountId: string, region: string, busName: string): Promise<number>;
  setRuleState(accountId: string, region: string, busName: string, name: string, state: RuleState, updatedAt: Date): Promise<void>;
  /** Removes the rule, its targets and its tags. */
  deleteRule(accountId: string, region: string, busName: string, name: string): Promise<void>;
  /** Every rule of the bus with its targets, by name (dispatch reads this per event batch). */
  rulesOfBus(accountId: string, region: string, busName: string): Promise<EventRule[]>;
  /** Every rule with a ScheduleExpression, of every account and region (the scheduler). */
  scheduledRules(): Promise<EventRule[]>;
  /** Adds the targets to the rule, replacing those of the same id. */
  putTargets(accountId: string, region: string, busName: string, ruleName: string, targets: EventTarget[]): Promise<void>;
  /** Removes the rule's targets of those ids (absent ids are ignored). */
  removeTargets(accountId: string, region: string, busName: string, ruleName: string, ids: string[]): Promise<void>;
  /** Names of the bus's rules with a target of that ARN, by name, after `after`, at most `limit`. */
  ruleNamesByTarget(accountId: string, region: string, busName: string, targetArn: string, page: NamePage): Promise<string[]>;

  /** The tags of a bus or rule (by ARN); {} when it has none. */
  tagsOf(arn: string): Promise<Record<string, string>>;
  /** Adds or overwrites tags of the resource. */
  tag(accountId: string, arn: string, tags: Record<string, string>): Promise<void>;
  untag(arn: string, keys: string[]): Promise<void>;

  /** Adds the connection; false when one of that name exists. */
  createConnection(c: Connection): Promise<boolean>;
  getConnection(arn: string): Promise<Connection | undefined>;
  getConnectionByName(accountId: string, region: string, name: string): Promise<Connection | undefined>;
  listConnections(accountId: string, region: string, page: NamePage & { state?: string }): Promise<Connection[]>;
  countConnections(accountId: string, region: string): Promise<number>;
  /** Replaces the stored connection (found by account, region and name). */
  updateConnection(c: Connection): Promise<void>;
  deleteConnection(accountId: string, region: string, name: string): Promise<void>;

  createApiDestination(d: ApiDestination): Promise<boolean>;
  getApiDestination(arn: string): Promise<ApiDestination | undefined>;
  getApiDestinationByName(accountId: string, region: string, name: string): Promise<ApiDestination | undefined>;
  listApiDestinations(accountId: string, region: string, page: NamePage & { connectionArn?: string }): Promise<ApiDestination[]>;
  countApiDestinations(accountId: string, region: string): Promise<number>;
  /** Replaces the stored API destination (found by account, region and name). */
  updateApiDestination(d: ApiDestination): Promise<void>;
  deleteApiDestination(accountId: string, region: string, name: string): Promise<void>;
}
