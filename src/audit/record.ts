/**
 * Builds one CloudTrail record (pure) from a completed call, fields in the order AWS emits them
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html;
 * userIdentity per caller type: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html). The observer calls it
 * for every outcome; nothing else builds records.
 */
import type { Principal } from '../auth/principal.ts';
import type { AuditResource } from '../services/types.ts';

export interface CallOutcome {
  eventId: string;
  requestId: string;
  /** when the call completed */
  time: Date;
  eventSource: string;
  eventName: string;
  region: string;
  /** the account this server is: recipientAccountId, and resources' default accountId */
  accountId: string;
  sourceIp: string;
  userAgent: string;
  /** The authenticated caller; absent when authentication failed (then only the claimed key is known). */
  principal?: Principal;
  claimedAccessKeyId?: string;
  /** Set for calls a service made on the caller's behalf (e.g. codestar.amazonaws.com). */
  invokedBy?: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  /** null when the operation is unknown (no readOnly entry): the field is then omitted */
  readOnly: boolean | null;
  resources?: AuditResource[];
  /** default AwsApiCall; AwsConsoleSignIn for the console's ConsoleLogin (which, as AWS's, has no requestID) */
  eventType?: 'AwsApiCall' | 'AwsConsoleSignIn';
  /** default Management */
  eventCategory?: 'Management' | 'Data';
  /** emitted after responseElements, as AWS does (ConsoleLogin: LoginTo, MobileVersion, MFAUsed) */
  additionalEventData?: Record<string, unknown>;
  /**
   * One of several copies of the call delivered to different accounts (cross-account calls): the
   * GUID the copies share (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/shared-event-ID.html).
   */
  sharedEventId?: string;
  /**
   * The copy for the resource owner's account names the caller by its account only (`AWSAccount`), as
   * AWS records a cross-account AssumeRole in the role's account
   * (https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html).
   */
  callerAsAccount?: boolean;
  /** made with web-console session credentials: `sessionCredentialFromConsole: "true"`, last, as AWS emits it */
  fromConsole?: boolean;
}

export type CloudTrailRecord = Record<string, unknown>;

/** RC: userAgent, errorCode and errorMessage are cut at 1 KB. */
const FIELD_LIMIT = 1024;
/** RC: requestParameters / responseElements over 100 KB are omitted (left null), not truncated. */
const ELEMENTS_LIMIT = 100 * 1024;

const secondsIso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function buildRecord(o: CallOutcome): CloudTrailRecord {
  const r: CloudTrailRecord = {
    eventVersion: '1.11',
    userIdentity: userIdentity(o),
    eventTime: secondsIso(o.time),
    eventSource: o.eventSource,
    eventName: o.eventName,
    awsRegion: o.region,
    // A service acting for the caller is the one that called: its host is the address and the agent.
    sourceIPAddress: o.invokedBy ?? o.sourceIp,
  };
  const agent = o.invokedBy ?? truncateUtf8(o.userAgent, FIELD_LIMIT);
  if (agent) r.userAgent = agent;
  if (o.errorCode) {
    r.errorCode = truncateUtf8(o.errorCode, FIELD_LIMIT);
    r.errorMessage = truncateUtf8(o.errorMessage ?? '', FIELD_LIMIT);
  } else if (o.errorMessage) {
    // a failed console sign-in carries a message and no code (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html)
    r.errorMessage = truncateUtf8(o.errorMessage, FIELD_LIMIT);
  }
  r.requestParameters = capped(o.requestParameters);
  r.responseElements = capped(o.responseElements);
  if (o.additionalEventData) r.additionalEventData = o.additionalEventData;
  if (o.eventType !== 'AwsConsoleSignIn') r.requestID = o.requestId;
  r.eventID = o.eventId;
  if (o.readOnly !== null) r.readOnly = o.readOnly;
  if (o.resources?.length) r.resources = o.resources.map((x) => ({ accountId: x.accountId ?? o.accountId, type: x.type, ARN: x.ARN }));
  r.eventType = o.eventType ?? 'AwsApiCall';
  r.managementEvent = (o.eventCategory ?? 'Management') === 'Management';
  r.recipientAccountId = o.accountId;
  if (o.sharedEventId) r.sharedEventID = o.sharedEventId;
  r.eventCategory = o.eventCategory ?? 'Management';
  if (o.fromConsole) r.sessionCredentialFromConsole = 'true';
  return r;
}

/**
 * userIdentity per caller type: Root and IAMUser with long-term keys; AssumedRole and FederatedUser with a sessionContext
 * (sessionIssuer = the role, or the IAM user who called GetFederationToken); GetSessionToken
 * credentials keep the user's type with an empty sessionIssuer. A caller whose credentials did not
 * authenticate is `Unknown` with the key it claimed (docs/architecture.md#audit).
 */
function userIdentity(o: CallOutcome): Record<string, unknown> {
  const p = o.principal;
  if (!p) return { type: 'Unknown', accessKeyId: o.claimedAccessKeyId ?? '' };
  if (o.callerAsAccount) return { type: 'AWSAccount', principalId: p.principalId, accountId: p.accountId };
  const id: Record<string, unknown> = { type: p.type, principalId: p.principalId, arn: p.arn, accountId: p.accountId, accessKeyId: p.accessKeyId };
  if (p.type === 'IAMUser') id.userName = p.userName;
  if (p.session) {
    const context: Record<string, unknown> = {
      sessionIssuer: p.issuer ? issuer(p.issuer) : {},
      webIdFederationData: {},
      attributes: { creationDate: secondsIso(p.session.createDate), mfaAuthenticated: String(p.session.mfaAuthenticated) },
    };
    if (p.session.sourceIdentity) context.sourceIdentity = p.session.sourceIdentity;
    id.sessionContext = context;
  }
  if (o.invokedBy) id.invokedBy = o.invokedBy;
  return id;
}

function issuer(i: NonNullable<Principal['issuer']>): Record<string, unknown> {
  const out: Record<string, unknown> = { type: i.type, principalId: i.principalId, arn: i.arn, accountId: i.accountId };
  if (i.userName !== undefined) out.userName = i.userName;
  return out;
}

function capped(v: Record<string, unknown> | null): Record<string, unknown> | null {
  return v && Buffer.byteLength(JSON.stringify(v)) > ELEMENTS_LIMIT ? null : v;
}

/** Cuts to at most `limit` UTF-8 bytes without splitting a character. */
export function truncateUtf8(s: string, limit: number): string {
  if (s.length <= limit / 3 || Buffer.byteLength(s) <= limit) return s;
  let out = Buffer.from(s).subarray(0, limit).toString('utf8');
  if (out.endsWith('\uFFFD')) out = out.slice(0, -1);
  return out;
}
