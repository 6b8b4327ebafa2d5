/**
 * Builds one CloudTrail record (pure) from a completed call, with AWS's field order
 * (spec cloudtrail-codestar §a–b). The observer in pipeline/ calls it for every outcome.
 */
import type { Principal } from '../auth/principal.ts';
import type { AuditResource } from '../services/types.ts';
import type { StoredEvent } from '../store/types.ts';

export interface CallOutcome {
  eventId: string;
  requestId: string;
  time: Date;
  eventSource: string;
  eventName: string;
  region: string;
  accountId: string;
  sourceIp: string;
  userAgent: string;
  /** The authenticated caller, or only the claimed key when authentication failed. */
  principal?: Principal;
  claimedAccessKeyId?: string;
  /** Set for calls a service made on the caller's behalf (e.g. codestar.amazonaws.com). */
  invokedBy?: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  readOnly: boolean | null;
  resources?: AuditResource[];
}

const secondsIso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function userIdentity(o: CallOutcome): Record<string, unknown> {
  const p = o.principal;
  if (!p) return { type: 'Unknown', accessKeyId: o.claimedAccessKeyId ?? '' };
  const base: Record<string, unknown> = { type: p.type, principalId: p.principalId, arn: p.arn, accountId: p.accountId, accessKeyId: p.accessKeyId };
  if (p.type === 'IAMUser') base.userName = p.userName;
  if (p.session) {
    const attributes = { creationDate: secondsIso(p.session.createDate), mfaAuthenticated: String(p.session.mfaAuthenticated) };
    if (p.issuer) {
      base.sessionContext = { sessionIssuer: { ...p.issuer }, webIdFederationData: {}, attributes };
      if (p.session.sourceIdentity) (base.sessionContext as Record<string, unknown>).sourceIdentity = p.session.sourceIdentity;
    } else {
      base.sessionContext = { sessionIssuer: {}, webIdFederationData: {}, attributes };
    }
  }
  if (o.invokedBy) base.invokedBy = o.invokedBy;
  return base;
}

export function buildRecord(o: CallOutcome): Record<string, unknown> {
  const r: Record<string, unknown> = {
    eventVersion: '1.11',
    userIdentity: userIdentity(o),
    eventTime: secondsIso(o.time),
    eventSource: o.eventSource,
    eventName: o.eventName,
    awsRegion: o.region,
    sourceIPAddress: o.invokedBy ?? o.sourceIp,
    userAgent: o.invokedBy ?? truncateUserAgent(o.userAgent),
  };
  if (o.errorCode) {
    r.errorCode = o.errorCode;
    r.errorMessage = o.errorMessage ?? '';
  }
  r.requestParameters = o.requestParameters;
  r.responseElements = o.responseElements;
  r.requestID = o.requestId;
  r.eventID = o.eventId;
  if (o.readOnly !== null) r.readOnly = o.readOnly;
  if (o.resources?.length) r.resources = o.resources.map((x) => ({ accountId: x.accountId ?? o.accountId, type: x.type, ARN: x.ARN }));
  r.eventType = 'AwsApiCall';
  r.managementEvent = true;
  r.recipientAccountId = o.accountId;
  r.eventCategory = 'Management';
  return r;
}

/** CloudTrail truncates userAgent at 1 KB. */
export function truncateUserAgent(ua: string): string {
  return ua.length > 1024 ? ua.slice(0, 1024) : ua;
}

/** The stored form: exact JSON plus the lookup columns. */
export function toStoredEvent(o: CallOutcome): StoredEvent {
  const record = buildRecord(o);
  const p = o.principal;
  return {
    eventId: o.eventId,
    eventTime: new Date(Math.floor(o.time.getTime() / 1000) * 1000),
    accountId: o.accountId,
    region: o.region,
    eventSource: o.eventSource,
    eventName: o.eventName,
    readOnly: o.readOnly,
    username: p ? p.displayName : null,
    accessKeyId: p?.accessKeyId ?? o.claimedAccessKeyId ?? null,
    resources: (o.resources ?? []).map((x) => ({ type: x.type, name: x.ARN })),
    json: JSON.stringify(record),
  };
}
