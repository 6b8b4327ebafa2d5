/**
 * What a service is: a model, an event source, and one definition per wire operation. Handlers take
 * plain input and return plain output (or throw AwsError); they know no HTTP and no protocol.
 */
import type { ServiceModel } from '../protocol/model.ts';
import type { Store } from '../store/types.ts';
import type { Principal } from '../auth/principal.ts';
import type { Ids } from '../ids.ts';

export interface Config {
  accountId: string;
  region: string;
  maxBodyBytes: number;
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
  /** The store, bound to this call's transaction. */
  store: Store;
  ids: Ids;
  config: Config;
  /**
   * Calls another service's operation as `invokedBy` on this caller's behalf (e.g. CodeStar creating
   * IAM policies). The call runs in this call's transaction and gets its own audit record.
   */
  invoke<O = any>(service: string, operation: string, input: Record<string, unknown>, invokedBy: string): Promise<O>;
}

export interface AuthorizationTarget {
  /** IAM action; default `<actionPrefix>:<Operation>` */
  action?: string;
  /** ARN(s) the action is on; '*' for resource-less actions. Every one must be allowed. */
  resource: string | string[];
  /** A resource-based policy (bucket policy, role trust policy) as JSON text. */
  resourcePolicy?: string;
  /** sts:AssumeRole: the trust policy must allow (spec iam-sts §1.2 step 3). */
  trustPolicy?: boolean;
  /** Extra request-context keys (aws:RequestTag/…, aws:TagKeys, iam:PolicyARN, …). */
  keys?: Record<string, string | string[] | undefined>;
}

export interface AuditResource { accountId?: string; type: string; ARN: string }

export interface OperationDef<I = any, O = any> {
  /** CloudTrail `readOnly` for this operation: an explicit table, one entry per operation. */
  readOnly: boolean;
  /**
   * 'Data' for data-plane calls (S3 object operations): recorded with eventCategory Data and
   * managementEvent false, kept apart from Event history (AWS never shows data events there).
   */
  eventCategory?: 'Data';
  /** What to authorize; 'none' for calls no policy can deny (sts:GetCallerIdentity, sts:GetSessionToken). Default: the action on '*'. */
  authorize?(input: I, ctx: AuthorizationContext): AuthorizationTarget | 'none' | Promise<AuthorizationTarget | 'none'>;
  handler: (input: I, ctx: OperationContext) => Promise<O>;
  /** CloudTrail `resources` of the record, where the operation names one. */
  resources?: (input: I, output: O | undefined, ctx: OperationContext) => AuditResource[];
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
}

export type Handlers<T extends string = string> = Record<T, OperationDef>;
