/**
 * What a service is: a model, an event source, and one definition per wire operation. Handlers take
 * plain input and return plain output (or throw AwsError); they know no HTTP and no protocol.
 */
import type { ServiceModel } from '../protocol/model.ts';
import type { Store } from '../store/types.ts';
import type { Principal } from '../auth/principal.ts';
import type { Ids } from '../ids.ts';
import type { Operations as CloudTrailOperations } from './cloudtrail/model.generated.ts';
import type { Operations as CodeStarOperations } from './codestar/model.generated.ts';
import type { Operations as IamOperations } from './iam/model.generated.ts';
import type { Operations as S3Operations } from './s3/model.generated.ts';
import type { Operations as SqsOperations } from './sqs/model.generated.ts';
import type { Operations as SnsOperations } from './sns/model.generated.ts';
import type { Operations as StsOperations } from './sts/model.generated.ts';
import type { Operations as EventsOperations } from './events/model.generated.ts';
import type { Operations as LogsOperations } from './logs/model.generated.ts';
import type { Operations as CloudWatchOperations } from './cloudwatch/model.generated.ts';
import type { Operations as OrganizationsOperations } from './organizations/model.generated.ts';
import type { WireProtocol, WireRequest } from '../protocol/wire.ts';
import type { AwsError } from '../errors/aws-error.ts';

/** What a generated model module says of each operation (model.generated.ts `Operations`). */
export type OperationTypes<T> = { [K in keyof T]: { input: object; output: object; errors: string } };

/** The operations of every service, by signing name, as their generated models type them. */
export interface ServiceOperations {
  cloudtrail: CloudTrailOperations;
  codestar: CodeStarOperations;
  iam: IamOperations;
  s3: S3Operations;
  sqs: SqsOperations;
  sns: SnsOperations;
  sts: StsOperations;
  events: EventsOperations;
  logs: LogsOperations;
  organizations: OrganizationsOperations;
  /** CloudWatch (metrics and alarms): signing name `monitoring` */
  monitoring: CloudWatchOperations;
}

type Op<S extends keyof ServiceOperations, O extends keyof ServiceOperations[S]> = ServiceOperations[S][O] extends { input: infer I; output: infer R }
  ? { input: I; output: R }
  : never;

export interface Config {
  accountId: string;
  region: string;
  maxBodyBytes: number;
  /**
   * The URL at which clients reach this server (`STARTRAIL_PUBLIC_URL`, default `http://<host>:<port>`):
   * the base of queue URLs, SNS SubscribeURL / UnsubscribeURL / SigningCertURL.
   */
  publicUrl: string;
}

/** What an operation's `authorize` may read: the call, before it acts (no invoke, no transaction). */
export type AuthorizationContext = Omit<OperationContext, 'invoke'>;

export interface OperationContext {
  requestId: string;
  principal: Principal;
  accountId: string;
  /** Region of the call (SigV4 scope); IAM and STS are global and record us-east-1. */
  region: string;
  now: Date;
  sourceIp: string;
  userAgent: string;
  /** The web console's sign-in call (pipeline/call.ts HttpRequest.console): set only by the console, never from the wire. */
  consoleSignIn?: boolean;
  /** The store, bound to this call's transaction. */
  store: Store;
  ids: Ids;
  config: Config;
  /**
   * Calls another service's operation as `invokedBy` on this caller's behalf (e.g. CodeStar creating
   * IAM policies). The call runs in this call's transaction and gets its own audit record.
   */
  invoke<S extends keyof ServiceOperations, O extends keyof ServiceOperations[S] & string>(
    service: S,
    operation: O,
    input: Op<S, O>['input'] & Record<string, unknown>,
    invokedBy: string,
  ): Promise<Op<S, O>['output']>;
}

export interface AuthorizationTarget {
  /** IAM action; default `<actionPrefix>:<Operation>` */
  action?: string;
  /** ARN(s) the action is on; '*' for resource-less actions. Every one must be allowed. */
  resource: string | string[];
  /** A resource-based policy (bucket policy, role trust policy) as JSON text. */
  resourcePolicy?: string;
  /** sts:AssumeRole: the trust policy must allow (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html step 3). */
  trustPolicy?: boolean;
  /**
   * The account owning the resource (a role in another account, another account's bucket): the
   * cross-account rule decides (both the resource policy and the caller's own policies must allow),
   * aws:ResourceAccount is set, and the call's record is also delivered to that account
   * (docs/accounts.md#cross-account-access). Default: the caller's account.
   */
  resourceAccount?: string;
  /** Extra request-context keys (aws:RequestTag/…, aws:TagKeys, iam:PolicyARN, …). */
  keys?: Record<string, string | string[] | undefined>;
}

export interface AuditResource {
  accountId?: string;
  type: string;
  ARN: string;
}

/**
 * One operation. `I` and `O` are the operation's generated input and output types (`OperationDefs<…>`
 * below); the service table holds them as OperationDef<unknown, unknown>, which the methods' bivariance
 * allows.
 */
export interface OperationDef<I = unknown, O = unknown> {
  /** CloudTrail `readOnly` for this operation: an explicit table, one entry per operation. */
  readOnly: boolean;
  /** The `eventName` CloudTrail records, where it is not the wire operation's name (S3's `PutBucketNotification` for PutBucketNotificationConfiguration). */
  eventName?: string;
  /**
   * 'Data' for data-plane calls (S3 object operations): recorded with eventCategory Data and
   * managementEvent false, kept apart from Event history (AWS never shows data events there).
   */
  eventCategory?: 'Data';
  /**
   * What to authorize; 'none' for calls no policy can deny (sts:GetCallerIdentity, sts:GetSessionToken). Default: the action on '*'.
   * Authorization comes before validation: a member the model requires may still be missing.
   */
  authorize?(input: Partial<I>, ctx: AuthorizationContext): AuthorizationTarget | 'none' | Promise<AuthorizationTarget | 'none'>;
  /**
   * Runs the operation. Declare the return type (`Promise<Output<'Op'>>`): TypeScript checks an object
   * literal's members against a declared return type only, so a misspelt optional member is caught there.
   */
  handler(input: I, ctx: OperationContext): Promise<O>;
  /** CloudTrail `resources` of the record, where the operation names one. */
  resources?(input: I, output: O | undefined, ctx: OperationContext): AuditResource[];
  /**
   * Long polling (SQS ReceiveMessage; docs/sqs.md#long-polling): an attempt whose output is `empty`
   * rolls back and the call waits — woken when a call that `wakes` its `key` commits on this node,
   * and trying again at a modest interval for other nodes' changes — until `waitSeconds` have
   * passed; only the final attempt commits, so the call leaves one record.
   */
  longPoll?: {
    waitSeconds(input: I, ctx: AuthorizationContext): Promise<number>;
    key(input: I): string;
    empty(output: O): boolean;
  };
  /** The long-poll keys this call's commit may satisfy, one per change (SQS SendMessage: its queue, once a message), each waking one poll after the commit. */
  wakes?(input: I, output: O): string[];
}

export interface ServiceDef {
  /** signing name and SigV4 scope service: codestar, cloudtrail, sts, iam, s3 */
  name: string;
  eventSource: string;
  actionPrefix: string;
  /** IAM and STS: global, recorded in us-east-1 */
  global: boolean;
  model: ServiceModel;
  operations: Record<string, OperationDef>;
  /**
   * The service's own wording of a validation failure, where it has one (IAM's messages for invalid
   * names and paths); `errors` are the violations in the model's message form. Undefined: AWS's
   * generic "N validation errors detected: …".
   */
  validationMessage?(errors: string[]): string | undefined;
  /**
   * The error a request signed for `region` gets when the resource it names lives elsewhere, or the
   * region is none (S3: AuthorizationHeaderMalformed naming the bucket's region, docs/s3.md#region-hints);
   * a service with this hook does its own scope-region check.
   */
  scopeRegionError?(req: WireRequest, region: string): Promise<AwsError | undefined>;
  /**
   * Set when the service serves unsigned requests as the anonymous caller (S3): the region such a
   * request is recorded in (the bucket's), else the configured one when undefined.
   */
  anonymousRegion?(req: WireRequest): Promise<string | undefined>;
  /** Headers added to the response of a request (S3: x-amz-bucket-region on HeadBucket and on errors naming a bucket). */
  responseHeaders?(req: WireRequest, operation: string | undefined, failed: boolean): Promise<Record<string, string>>;
  /**
   * The record form of a call's output (responseElements), when not the model's members (S3: response
   * headers by their wire names). `members` records what it is given the usual way.
   */
  recordResponse?(
    operation: string,
    output: Record<string, unknown>,
    members: (value: Record<string, unknown>) => Record<string, unknown> | null,
  ): Record<string, unknown> | null;
  /**
   * The record's additionalEventData, if the service writes one (S3: signature version, authentication
   * method, bytes transferred, x-amz-id-2).
   */
  additionalEventData?(call: RecordedTransfer): Record<string, unknown> | undefined;
  /** The protocol of requests naming the operation in X-Amz-Target, when not the model's own (SQS: JSON 1.0 with Query error codes). */
  wire?: WireProtocol;
  /** A second protocol served to `Action=` forms, chosen per request (SQS's Query; docs/sqs.md#protocols). */
  queryWire?: WireProtocol;
  /** The protocol of Smithy RPC v2 requests (`/service/…/operation/…`), when not the model's own (CloudWatch's CBOR with Query error codes; docs/cloudwatch.md#protocols). */
  rpcWire?: WireProtocol;
}

/**
 * Definitions of some of a service's operations (`K`), each typed by its generated input and output:
 * `satisfies OperationDefs<Ops, 'CreateProject' | …>` gives the handlers their input types.
 */
export type OperationDefs<T extends OperationTypes<T>, K extends keyof T = keyof T> = { [P in K]: OperationDef<T[P]['input'], T[P]['output']> };

/** What a call's record can say of how it came and what it moved (ServiceDef.additionalEventData). */
export interface RecordedTransfer {
  operation: string;
  requestId: string;
  input?: Record<string, unknown>;
  output?: unknown;
  failed: boolean;
  /** how the call was signed: undefined for an unsigned (anonymous) call */
  authentication?: 'AuthHeader' | 'QueryString';
  /** the request body's length */
  bytesIn: number;
}
