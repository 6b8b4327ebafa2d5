/**
 * The audit observer (docs/architecture.md#audit): turns every completed call — and every call a service makes on a
 * caller's behalf — into exactly one CloudTrail record, ready to store. Handlers never build
 * records; the pipeline calls `observe` for successes (pipeline/invoke.ts, in the call's
 * transaction) and for every failure (pipeline/index.ts recordFailure).
 */
import { isAnonymous, type Principal } from '../auth/principal.ts';
import type { AwsError } from '../errors/aws-error.ts';
import type { OperationContext, OperationDef, ServiceDef } from '../services/types.ts';
import type { StoredEvent } from '../store/types.ts';
import { storedEvent } from './columns.ts';
import { recordObject, type RecordStyle } from './parameters.ts';
import { buildRecord, type CallOutcome } from './record.ts';

/**
 * Set by the web console on the calls it makes for a signed-in person (pipeline/call.ts
 * HttpRequest.console), never from the wire. `signIn` marks its sign-in call.
 */
export interface ConsoleCall {
  signIn?: { loginTo: string };
}

export interface ObservedCall {
  requestId: string;
  eventId: string;
  time: Date;
  region: string;
  accountId: string;
  sourceIp: string;
  userAgent: string;
  service: ServiceDef;
  operation: string;
  op?: OperationDef;
  principal?: Principal;
  claimedAccessKeyId?: string;
  invokedBy?: string;
  input?: Record<string, unknown>;
  output?: unknown;
  error?: AwsError;
  ctx?: OperationContext;
  console?: ConsoleCall;
  authentication?: 'AuthHeader' | 'QueryString';
  bytesIn?: number;
}

/** Secrets never appear in records, not even redacted (docs/architecture.md#audit). */
const OMIT = new Set(['secretAccessKey']);

/** IAM's records keep the older date form without the comma after the year (https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html). */
const NO_COMMA_DATES = new Set(['iam.amazonaws.com']);

/**
 * Read-only calls record no responseElements, except the STS calls that hand out credentials: AWS
 * records what they issued (AssumeRole as in the examples of
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html; GetSessionToken by analogy).
 */
const RESPONSE_DESPITE_READ_ONLY = new Set(['sts.amazonaws.com AssumeRole', 'sts.amazonaws.com GetSessionToken']);

// SNS spells a denial AuthorizationError on the wire (docs/sns.md#errors)
const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'AuthorizationError']);

function styleFor(service: ServiceDef): RecordStyle {
  return { commaAfterYear: !NO_COMMA_DATES.has(service.eventSource), omit: OMIT };
}

export function observe(c: ObservedCall): StoredEvent {
  return stored(c, outcome(c));
}

/**
 * The call's records: its own (recipient: the caller's account) and, for a call on a resource of
 * other accounts (`copiesFor`), one copy per such account, each with its own eventID and
 * recipientAccountId, all sharing one sharedEventID
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/shared-event-ID.html). Without other
 * accounts: exactly observe's one record, without sharedEventID. `newEventId` makes the copies' ids (Ids.eventId).
 */
export function observeAll(c: ObservedCall, copiesFor: readonly string[], newEventId: () => string): StoredEvent[] {
  const others = [...new Set(copiesFor)].filter((a) => a !== c.accountId);
  // an anonymous call is recorded only where its resource is, naming the caller as the account "anonymous"
  if (isAnonymous(c.principal)) {
    const base = outcome(c);
    const own = (accountId: string) => ({
      ...base,
      accountId,
      callerAsAccount: true,
      resources: base.resources?.map((r) => (r.accountId ? r : { ...r, accountId })),
    });
    return others.map((accountId) => stored(c, { ...own(accountId), eventId: others.length > 1 ? newEventId() : base.eventId }));
  }
  const base = outcome(c);
  if (!others.length || c.console?.signIn) return [stored(c, base)];
  // a resource named without its account is the resource account's (the bucket of a cross-account S3 call)
  const own = { ...base, resources: base.resources?.map((r) => (r.accountId ? r : { ...r, accountId: others[0] })) };
  const sharedEventId = newEventId();
  const accountOnly = ACCOUNT_ONLY_COPY.has(`${c.service.eventSource} ${c.operation}`);
  return [
    stored(c, { ...own, sharedEventId }),
    ...others.map((accountId) => stored(c, { ...own, sharedEventId, eventId: newEventId(), accountId, ...(accountOnly ? { callerAsAccount: true } : {}) })),
  ];
}

/** Calls whose copy in the resource's account names the caller by account only (record.ts callerAsAccount). */
const ACCOUNT_ONLY_COPY = new Set(['sts.amazonaws.com AssumeRole']);

function stored(c: ObservedCall, o: CallOutcome): StoredEvent {
  const record = buildRecord(c.console?.signIn ? consoleLogin(o, c.console.signIn.loginTo) : o);
  const event = storedEvent(record, JSON.stringify(record));
  return c.op?.eventCategory === 'Data' && !c.console?.signIn ? { ...event, category: 'Data' } : event;
}

function outcome(c: ObservedCall): CallOutcome {
  const model = c.service.model;
  const opModel = model.operations[c.operation];
  const style = styleFor(c.service);
  // AWS writes AccessDenied for denials, whatever the protocol's wire code (docs/architecture.md#audit).
  const denied = !!c.error && DENIED.has(c.error.code);
  const readOnly = c.op ? c.op.readOnly : null;
  const withResponse = !c.error && opModel && (!readOnly || RESPONSE_DESPITE_READ_ONLY.has(`${c.service.eventSource} ${c.operation}`));
  return {
    eventId: c.eventId,
    requestId: c.requestId,
    time: c.time,
    eventSource: c.service.eventSource,
    eventName: c.op?.eventName ?? c.operation,
    region: c.region,
    accountId: c.accountId,
    sourceIp: c.sourceIp,
    userAgent: c.userAgent,
    principal: c.principal,
    claimedAccessKeyId: c.claimedAccessKeyId,
    invokedBy: c.invokedBy,
    errorCode: c.error ? (denied ? 'AccessDenied' : c.error.code) : undefined,
    errorMessage: c.error?.message,
    // A denied call's record carries no parameters, as AWS's do — except S3's, which keep them (docs/architecture.md#audit).
    requestParameters: (denied && c.service.name !== 's3') || !opModel || !c.input ? null : recordObject(model, opModel.input, c.input, style),
    responseElements: !withResponse
      ? null
      : c.service.recordResponse
        ? c.service.recordResponse(c.operation, (c.output ?? {}) as Record<string, unknown>, (v) => recordObject(model, opModel.output, v, style))
        : recordObject(model, opModel.output, c.output ?? {}, style),
    readOnly,
    ...(c.op?.eventCategory ? { eventCategory: c.op.eventCategory } : {}),
    resources: resourcesOf(c),
    ...additional(c),
    // Calls a service makes on the person's behalf are the service's, not the console's.
    fromConsole: !!c.console && !c.invokedBy,
  };
}

/** The service's additionalEventData (S3's), for calls it made itself (not on a caller's behalf). */
function additional(c: ObservedCall): { additionalEventData?: Record<string, unknown> } {
  if (!c.service.additionalEventData || c.invokedBy) return {};
  const data = c.service.additionalEventData({
    operation: c.operation,
    requestId: c.requestId,
    input: c.input,
    output: c.output,
    failed: !!c.error,
    authentication: c.authentication,
    bytesIn: c.bytesIn ?? 0,
  });
  return data ? { additionalEventData: data } : {};
}

/**
 * The console's sign-in call (a GetSessionToken signed with the keys the person typed) is recorded
 * as AWS records a console sign-in (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html): signin.amazonaws.com, eventType
 * AwsConsoleSignIn, responseElements {"ConsoleLogin": "Success"|"Failure"}, additionalEventData —
 * nothing of the STS call: not its parameters, never the credentials it issued.
 */
function consoleLogin(o: CallOutcome, loginTo: string): CallOutcome {
  const failed = !!o.errorCode;
  return {
    ...o,
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    region: 'us-east-1',
    eventType: 'AwsConsoleSignIn',
    errorCode: undefined,
    errorMessage: failed ? (o.errorCode === 'InvalidClientTokenId' ? 'No username found in supplied account' : 'Failed authentication') : undefined,
    requestParameters: null,
    responseElements: { ConsoleLogin: failed ? 'Failure' : 'Success' },
    additionalEventData: { LoginTo: loginTo, MobileVersion: 'No', MFAUsed: 'No' },
    readOnly: false,
    resources: undefined,
    fromConsole: false,
  };
}

/** `resources` of a successful call whose operation names one (e.g. the role of AssumeRole). */
function resourcesOf(c: ObservedCall): CallOutcome['resources'] {
  if (!c.op?.resources || !c.input || !c.ctx || c.error) return undefined;
  return c.op.resources(c.input, c.output, c.ctx);
}
