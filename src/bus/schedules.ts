/**
 * The scheduler (docs/eventbridge-delivery.md#schedules): each ENABLED rule with a ScheduleExpression
 * fires at its times (UTC) with a "Scheduled Event" (source aws.events, resources [the rule's ARN],
 * detail {}; https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-events.html), sent to every
 * target. The rule's last fire time is stored and moved by compare-and-set in the transaction that
 * delivers the event, so each fire time fires once across nodes and crashes. A rule first seen sets
 * its baseline without firing (a rate's first event comes one period later); after downtime only the
 * latest missed time fires (EventBridge does not backfill). Disabled, unscheduled and deleted rules
 * forget their time, so re-enabling one does not fire a stale time at once.
 */
import { fireRule, type DispatchEnv } from '../services/events/dispatch.ts';
import { scheduledEvent } from '../services/events/envelope.ts';
import { nextFireTime, parseSchedule, type Schedule } from '../services/events/schedule.ts';
import type { EventRule } from '../store/contracts/event-buses.ts';
import type { Store } from '../store/types.ts';

/** One round at env.now: returns how many events fired. */
export async function fireSchedules(store: Store, env: DispatchEnv): Promise<number> {
  const rules = await store.eventBuses.scheduledRules();
  const live = new Set<string>();
  let fired = 0;
  for (const rule of rules) {
    if (rule.state === 'DISABLED' || rule.scheduleExpression === undefined) continue;
    let schedule: Schedule;
    try {
      schedule = parseSchedule(rule.scheduleExpression);
    } catch {
      continue;
    }
    live.add(rule.arn);
    if (await fireOne(store, rule, schedule, env)) fired++;
  }
  const stale = (await store.eventDeliveries.firedRules()).filter((arn) => !live.has(arn));
  if (stale.length > 0) await store.eventDeliveries.forgetFires(stale);
  return fired;
}

async function fireOne(store: Store, rule: EventRule, schedule: Schedule, env: DispatchEnv): Promise<boolean> {
  const last = await store.eventDeliveries.lastFire(rule.arn);
  if (last === undefined) {
    await store.eventDeliveries.advanceFire(rule.arn, rule.accountId, rule.region, undefined, env.now);
    return false;
  }
  const at = latestDue(schedule, last, env.now);
  if (!at) return false;
  return store
    .transaction(async (tx) => {
      if (!(await tx.eventDeliveries.advanceFire(rule.arn, rule.accountId, rule.region, last, at))) throw new AlreadyFired();
      const e = scheduledEvent(env.ids.uuid(), rule.accountId, rule.region, rule.arn, at);
      await fireRule(tx, rule, e, env);
      return true;
    })
    .catch((e: unknown) => {
      if (e instanceof AlreadyFired) return false;
      throw e;
    });
}

/** The latest fire time after `last` and not after `now`, if any. */
export function latestDue(schedule: Schedule, last: Date, now: Date): Date | undefined {
  if (schedule.kind === 'rate') {
    const n = Math.floor((now.getTime() - last.getTime()) / schedule.ms);
    return n >= 1 ? new Date(last.getTime() + n * schedule.ms) : undefined;
  }
  let due: Date | undefined;
  // cron times are whole minutes: a long outage walks at most one step per missed time, bounded here
  for (let t = nextFireTime(schedule, last), i = 0; t && t <= now && i < 10_000; t = nextFireTime(schedule, t), i++) due = t;
  return due;
}

class AlreadyFired extends Error {}
