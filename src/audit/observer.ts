/**
 * The audit observer: turns every completed call (and every call a service makes on a caller's
 * behalf) into exactly one CloudTrail record. Handlers never build records.
 */
import type { Principal } from '../auth/principal.ts';
import type { AwsError } from '../errors/aws-error.ts';
import type { OperationDef, OperationContext, ServiceDef } from '../services/types.ts';
import { recordObject, type RecordStyle } from './parameters.ts';
import { toStoredEvent, type CallOutcome } from './record.ts';
import type { StoredEvent } from '../store/types.ts';

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
}

/** secrets never appear in records, even redacted (spec iam-sts §7) */
const OMIT = new Set(['secretAccessKey']);

export function styleFor(service: ServiceDef): RecordStyle {
  const query = service.model.metadata.protocol === 'query';
  return { lowerCamel: query, javaDates: query, omit: OMIT };
}

export function observe(c: ObservedCall): StoredEvent {
  const model = c.service.model;
  const opModel = model.operations[c.operation];
  const style = styleFor(c.service);
  const denied = c.error?.code === 'AccessDenied' || c.error?.code === 'AccessDeniedException';
  const readOnly = c.op ? c.op.readOnly : null;
  let resources: CallOutcome['resources'];
  if (c.op?.resources && c.input && c.ctx && !c.error) {
    try { resources = c.op.resources(c.input, c.output, c.ctx); } catch { resources = undefined; }
  }
  const outcome: CallOutcome = {
    eventId: c.eventId,
    requestId: c.requestId,
    time: c.time,
    eventSource: c.service.eventSource,
    eventName: c.operation,
    region: c.region,
    accountId: c.accountId,
    sourceIp: c.sourceIp,
    userAgent: c.userAgent,
    principal: c.principal,
    claimedAccessKeyId: c.claimedAccessKeyId,
    invokedBy: c.invokedBy,
    errorCode: c.error ? (denied ? 'AccessDenied' : c.error.code) : undefined,
    errorMessage: c.error?.message,
    // A denied call's record carries no parameters, as AWS's do (spec iam-sts §2).
    requestParameters: denied || !opModel ? null : recordObject(model, opModel.input, c.input ?? {}, style),
    responseElements: c.error || readOnly || !opModel ? null : recordObject(model, opModel.output, c.output ?? {}, style),
    readOnly,
    resources,
  };
  return toStoredEvent(outcome);
}
