/**
 * Event dispatch (docs/eventbridge-delivery.md#dispatch): each event on a bus is matched against the
 * bus's rules and handed to every target of every matching rule, inside the caller's transaction —
 * so an event is delivered exactly once per (event, rule, target) with the change that produced it
 * (a PutEvents call, a CloudTrail record's consumer cursor, a schedule's fire time).
 *
 * Rule states (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail-management.html):
 * DISABLED rules see nothing; ENABLED rules see everything but read-only management events delivered
 * through CloudTrail; ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS rules see those too.
 */
import type { Destinations } from '../../delivery/destinations.ts';
import type { Ids } from '../../ids.ts';
import type { EventRule } from '../../store/contracts/event-buses.ts';
import type { Store } from '../../store/types.ts';
import type { Config } from '../types.ts';
import { deliverToTarget } from './deliver-targets.ts';
import { type EventPattern, matchesEventPattern, parseEventPattern } from './pattern/index.ts';

/** The EventBridge event envelope, as AWS delivers it (https://docs.aws.amazon.com/eventbridge/latest/ref/overiew-event-structure.html). */
export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

export interface DispatchEnv {
  now: Date;
  ids: Ids;
  config: Config;
  destinations: Destinations;
}

export interface IncomingEvent {
  event: BusEvent;
  /** the envelope's exact text */
  json: string;
  /** a read-only management event delivered through CloudTrail */
  cloudTrailReadOnly?: boolean;
}

/**
 * Matches each event against the rules of the bus and delivers it to every matching rule's targets,
 * inside `tx` (exactly once per event × rule × target): SQS / SNS / event bus / log group targets in
 * the transaction, API destinations as a retried delivery row (docs/eventbridge-delivery.md#targets).
 * `json` is the envelope's exact text (CloudTrail events: detail spliced byte for byte from the stored record).
 * `hops`: how many bus-to-bus forwards brought the events here (the loop guard, deliver-targets.ts).
 */
export async function dispatchEvents(
  tx: Store,
  bus: { accountId: string; region: string; name: string },
  events: IncomingEvent[],
  env: DispatchEnv,
  hops = 0,
): Promise<void> {
  if (events.length === 0) return;
  const rules = await tx.eventBuses.rulesOfBus(bus.accountId, bus.region, bus.name);
  const live: { rule: EventRule; pattern: EventPattern }[] = [];
  for (const rule of rules) {
    if (rule.state === 'DISABLED' || rule.eventPattern === undefined || rule.targets.length === 0) continue;
    const pattern = compiled(rule.eventPattern);
    if (pattern) live.push({ rule, pattern });
  }
  if (live.length === 0) return;
  for (const e of events) {
    for (const { rule, pattern } of live) {
      if (e.cloudTrailReadOnly && rule.state !== 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS') continue;
      if (!matchesEventPattern(pattern, e.event)) continue;
      for (const target of rule.targets) await deliverToTarget(tx, rule, target, e, env, hops);
    }
  }
}

/** A scheduled rule's fire: its Scheduled Event goes to every target, unmatched (the rule has no pattern to match). */
export async function fireRule(tx: Store, rule: EventRule, e: IncomingEvent, env: DispatchEnv): Promise<void> {
  for (const target of rule.targets) await deliverToTarget(tx, rule, target, e, env, 0);
}

/**
 * Compiled patterns by their text: every event batch reads its bus's rules again (a rule changed by
 * PutRule on any node applies to the next event), but compiles each distinct pattern once.
 */
const patterns = new Map<string, EventPattern | null>();
const MAX_PATTERNS = 10_000;

function compiled(text: string): EventPattern | null {
  let p = patterns.get(text);
  if (p === undefined) {
    try {
      p = parseEventPattern(text);
    } catch {
      // PutRule validated it; a pattern this version cannot read matches nothing rather than stopping the bus
      p = null;
    }
    if (patterns.size >= MAX_PATTERNS) patterns.clear();
    patterns.set(text, p);
  }
  return p;
}
