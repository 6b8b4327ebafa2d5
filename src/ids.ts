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

export const randomIds: Ids = {
  uuid: () => randomUUID(),
  uniqueId: (prefix) => prefix + pick(UPPER_ALNUM, 17),
  accessKeyId: (prefix) => prefix + pick(BASE32, 16),
  secretAccessKey: () => pick(B64, 40),
  sessionToken: () => 'IQoJb3JpZ2luX2VjE' + randomBytes(270).toString('base64'),
  accountId: () => pick('123456789', 1) + pick('0123456789', 11),
};
