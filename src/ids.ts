/** Identifier generation (injected, so tests can fix it): AWS's id forms from https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html */
import { randomBytes, randomUUID } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function pick(alphabet: string, n: number): string {
  const bytes = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[bytes[i]! % alphabet.length];
  return s;
}

export interface Ids {
  uuid(): string;
  /**
   * A CloudTrail eventID: a version 4 UUID in form, as AWS's are, whose first 48 bits are the time in
   * milliseconds (the layout of UUID version 7), so that new records' ids sort at the end of the
   * event-id index instead of at a random page of it (docs/performance.md#event-id). 74 bits stay random.
   */
  eventId(): string;
  /** `AIDA`, `AROA`, `ANPA` + 17 upper-case letters and digits (21 chars) */
  uniqueId(prefix: 'AIDA' | 'AROA' | 'ANPA' | 'AGPA'): string;
  /** `AKIA` / `ASIA` + 16 base32 characters (20 chars) */
  accessKeyId(prefix: 'AKIA' | 'ASIA'): string;
  /** 40 characters of the base64 alphabet */
  secretAccessKey(): string;
  sessionToken(): string;
  /** a new account's id: 12 decimal digits, not starting with 0 */
  accountId(): string;
}

/** `randomUUID()` with its first 12 hex digits replaced by `ms` (Ids.eventId). */
export function timeOrderedUuid(ms: number): string {
  const t = Math.min(Math.max(Math.floor(ms), 0), 0xffffffffffff)
    .toString(16)
    .padStart(12, '0');
  return `${t.slice(0, 8)}-${t.slice(8)}${randomUUID().slice(13)}`;
}

export const randomIds: Ids = {
  uuid: () => randomUUID(),
  eventId: () => timeOrderedUuid(Date.now()),
  uniqueId: (prefix) => prefix + pick(UPPER_ALNUM, 17),
  accessKeyId: (prefix) => prefix + pick(BASE32, 16),
  secretAccessKey: () => pick(B64, 40),
  sessionToken: () => 'IQoJb3JpZ2luX2VjE' + randomBytes(270).toString('base64'),
  accountId: () => pick('123456789', 1) + pick('0123456789', 11),
};
