/**
 * Object Lock rules the store enforces itself, so that every writer (the S3 service, trail delivery)
 * obeys them (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html): a bucket's
 * default retention applies to each new version that names no retention, and a version under legal
 * hold, or under retention until a time not yet reached, cannot be deleted — GOVERNANCE retention
 * yields to a caller allowed s3:BypassGovernanceRetention who asks to bypass it, COMPLIANCE to no one.
 */
import type { ObjectLock } from './types.ts';

/**
 * The default retention of the bucket's Object Lock configuration (the S3 service's JSON of
 * ObjectLockConfiguration: `{ ObjectLockEnabled, Rule: { DefaultRetention: { Mode, Days | Years } } }`)
 * for a version made at `now`; undefined without one.
 */
export function defaultRetention(configText: string | undefined, now: Date): ObjectLock | undefined {
  if (!configText) return undefined;
  const d = (JSON.parse(configText) as { Rule?: { DefaultRetention?: { Mode?: string; Days?: number; Years?: number } } }).Rule?.DefaultRetention;
  if (!d || (d.Mode !== 'GOVERNANCE' && d.Mode !== 'COMPLIANCE')) return undefined;
  const until = new Date(now.getTime());
  if (d.Days) until.setUTCDate(until.getUTCDate() + d.Days);
  else if (d.Years) until.setUTCFullYear(until.getUTCFullYear() + d.Years);
  else return undefined;
  return { mode: d.Mode, retainUntil: until };
}

/** Whether a version may not be deleted (nor its retention shortened) at `now`. */
export function isLocked(info: { lock?: ObjectLock }, now: Date, bypassGovernance: boolean): boolean {
  const lock = info.lock;
  if (!lock) return false;
  if (lock.legalHold) return true;
  if (!lock.retainUntil || lock.retainUntil.getTime() <= now.getTime()) return false;
  return lock.mode === 'COMPLIANCE' || (lock.mode === 'GOVERNANCE' && !bypassGovernance);
}
