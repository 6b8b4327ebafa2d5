/**
 * From a CloudTrail record to what Event history stores and looks up by (docs/architecture.md#event-history): the eight LookupEvents attributes and the time. One derivation for the records this server
 * writes and for imported ones, so both are found the same way. Records from real logs vary
 * (older eventVersions, documentation placeholders), so every field is read defensively.
 */
import { createHash } from 'node:crypto';
import type { StoredEvent } from '../store/types.ts';

export class RecordError extends Error {}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export interface StoreOptions {
  /** default: the record's eventTime */
  addedAt?: Date;
  imported?: boolean;
}

/** `record` is the parsed form of `json`; `json` is stored byte for byte. Throws RecordError when the record has no usable eventTime. */
export function storedEvent(record: Obj, json: string, opts: StoreOptions = {}): StoredEvent {
  const eventTime = parseEventTime(record.eventTime);
  if (!eventTime) throw new RecordError(`eventTime ${JSON.stringify(record.eventTime) ?? 'missing'} is not a time`);
  const u = isObj(record.userIdentity) ? record.userIdentity : undefined;
  const id = record.eventID;
  return {
    eventId: typeof id === 'string' || typeof id === 'number' ? String(id) : derivedEventId(json),
    eventTime,
    accountId: str(record.recipientAccountId) ?? null,
    region: str(record.awsRegion) ?? null,
    eventSource: str(record.eventSource) ?? null,
    eventName: str(record.eventName) ?? null,
    readOnly: record.readOnly === true || record.readOnly === 'true' ? true : record.readOnly === false || record.readOnly === 'false' ? false : null,
    username: eventUsername(u),
    accessKeyId: str(u?.accessKeyId) ?? null,
    resources: resources(record.resources),
    json,
    addedAt: opts.addedAt ?? eventTime,
    imported: opts.imported ?? false,
  };
}

/**
 * Event history's "User name": the IAM user's name; for role and federated sessions the session
 * name (the last part of the session ARN); "root" for the root user without an alias; the service
 * for AWSService callers.
 */
export function eventUsername(u: Obj | undefined): string | null {
  if (!u) return null;
  const type = str(u.type);
  if (type === 'Root') return str(u.userName) ?? 'root';
  if (type === 'AssumedRole' || type === 'FederatedUser') {
    const arn = str(u.arn);
    const principal = str(u.principalId);
    return (
      (arn?.includes('/') ? arn.slice(arn.lastIndexOf('/') + 1) : undefined) ??
      str(u.userName) ??
      (principal?.includes(':') ? principal.slice(principal.indexOf(':') + 1) : null)
    );
  }
  if (type === 'AWSService') return str(u.invokedBy) ?? null;
  return str(u.userName) ?? null;
}

/** `resources[]` as ResourceType / ResourceName; AWS writes `ARN`, some hand-made records `arn`. */
function resources(v: unknown): StoredEvent['resources'] {
  if (!Array.isArray(v)) return [];
  const out: StoredEvent['resources'] = [];
  for (const r of v) {
    if (!isObj(r)) continue;
    const type = str(r.type) ?? null;
    const name = str(r.ARN) ?? str(r.arn) ?? null;
    if (type !== null || name !== null) out.push({ type, name });
  }
  return out;
}

const TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/;

/** `2024-01-15T10:30:00Z`, also with a fraction, a space for the T, or no zone (read as UTC) as some exports write it. */
export function parseEventTime(v: unknown): Date | undefined {
  if (typeof v !== 'string') return undefined;
  const m = TIME.exec(v.trim());
  if (!m) return undefined;
  const ms = (m[3] ?? '').padEnd(3, '0').slice(0, 3);
  const zone = !m[4] || m[4] === 'Z' ? 'Z' : m[4].length === 5 ? `${m[4].slice(0, 3)}:${m[4].slice(3)}` : m[4];
  const d = new Date(`${m[1]}T${m[2]}.${ms}${zone}`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** A stable id for a record that has no eventID (some documentation examples), so re-imports match it. */
function derivedEventId(json: string): string {
  const h = createHash('sha256').update(json).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
