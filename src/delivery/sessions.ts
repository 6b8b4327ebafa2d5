/**
 * Logging sessions, as the trail API changes them (StartLogging / StopLogging / DeleteTrail /
 * UpdateTrail; digest chain starts and final digests; docs/architecture.md#delivery). Run inside the API
 * call's transaction, so the session and the call's own record commit together:
 *  - StartLogging opens a session delivering records after the last one stored now, so the
 *    StartLogging record itself is the first delivered; with validation a new digest chain starts.
 *  - StopLogging / DeleteTrail close it: records up to the closing call's own record are still
 *    delivered, then the final digests are written (delivery loop).
 *  - Turning validation on starts a chain; off drops it (AWS: the chain just breaks).
 *  - A trail with a CloudWatch Logs log group also delivers there, through a record consumer per
 *    session (`trail-logs:<trail>:<session>`, delivery/cloudwatch-logs.ts) starting where the session
 *    starts; it ends at the session's closing call, which it finds in the stream itself.
 */
import type { Store, Trail } from '../store/types.ts';
import { trailOrganization } from './batches.ts';
import { trailAccount } from './layout.ts';

/** Digest periods start on whole seconds: digest times and keys have second precision. */
const wholeSecond = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);

export async function openSession(store: Store, trail: Trail, now: Date): Promise<void> {
  const last = await store.trails.lastEventSeq();
  const session = await store.trails.openSession({ trailId: trail.id, startSeq: last, cursor: last, startedAt: now });
  if (trail.cloudWatchLogsLogGroupArn) await store.recordConsumers.ensure(logsConsumer(trail.id, session.id), last, now);
  if (trail.logFileValidationEnabled) await store.trails.putChain(await homeChain(store, trail, session.id, now));
}

/**
 * The chain a session starts with: the trail's account in its home region — for an organization trail
 * under the organization's path; member accounts' chains start with their first file (batches.ts).
 */
async function homeChain(store: Store, trail: Trail, sessionId: number, now: Date) {
  const organizationId = await trailOrganization(store, trail);
  return { sessionId, accountId: trailAccount(trail), region: trail.homeRegion, ...(organizationId ? { organizationId } : {}), periodStart: wholeSecond(now) };
}

/** UpdateTrail turned an organization trail into an account trail or back: its digest chains start again at the new paths (as they break when validation is turned off). */
export async function organizationChanged(store: Store, trail: Trail, now: Date): Promise<void> {
  const open = (await store.trails.listSessions(trail.id)).find((s) => !s.stop);
  if (!open || !trail.logFileValidationEnabled) return;
  await store.trails.deleteChains(open.id);
  await store.trails.putChain(await homeChain(store, trail, open.id, now));
}

/** Closes the open session, if any; `call` names the closing call, whose own record is still delivered. */
export async function closeSession(store: Store, trail: Trail, now: Date, call: { eventName: string; requestId: string }): Promise<void> {
  const open = (await store.trails.listSessions(trail.id)).find((s) => !s.stop);
  if (!open) return;
  await store.trails.updateSession(open.id, { stop: { seq: await store.trails.lastEventSeq(), ...call, at: now } });
}

export async function validationChanged(store: Store, trail: Trail, enabled: boolean, now: Date): Promise<void> {
  const open = (await store.trails.listSessions(trail.id)).find((s) => !s.stop);
  if (!open) return;
  if (!enabled) return store.trails.deleteChains(open.id);
  if (!(await store.trails.listChains(open.id)).length) await store.trails.putChain(await homeChain(store, trail, open.id, now));
}

/** Sessions still to be flushed: a deleted trail with one is kept (invisible) until they are done. */
export async function hasPendingSessions(store: Store, trail: Trail): Promise<boolean> {
  return (await store.trails.listSessions(trail.id)).length > 0;
}

/** The record consumer delivering a session of the trail to CloudWatch Logs. */
export const logsConsumer = (trailId: number, sessionId: number) => `${LOGS_PREFIX}${trailId}:${sessionId}`;
export const LOGS_PREFIX = 'trail-logs:';

/**
 * UpdateTrail changed the log group: cleared, the trail stops delivering to CloudWatch Logs at once (as on AWS);
 * set on a logging trail, it delivers from the records after the last one stored now (the UpdateTrail's own first).
 */
export async function logGroupChanged(store: Store, trail: Trail, groupArn: string | undefined, now: Date): Promise<void> {
  if (!groupArn) {
    for (const c of await store.recordConsumers.list(`${LOGS_PREFIX}${trail.id}:`)) await store.recordConsumers.remove(c.name);
    return;
  }
  const open = (await store.trails.listSessions(trail.id)).find((s) => !s.stop);
  if (open) await store.recordConsumers.ensure(logsConsumer(trail.id, open.id), await store.trails.lastEventSeq(), now);
}
