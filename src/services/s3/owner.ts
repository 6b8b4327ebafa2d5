/** S3's canonical user of an account (ListBuckets Owner, ACL owners and grantees). */
import { createHash } from 'node:crypto';

/** The owner as S3 names it: a 64-hex canonical user id derived from the account. */
export function owner(accountId: string): { ID: string; DisplayName: string } {
  return { ID: createHash('sha256').update(`startrail:${accountId}`).digest('hex'), DisplayName: accountId };
}
