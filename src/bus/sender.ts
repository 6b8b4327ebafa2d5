/**
 * The delivery-row sender (docs/eventbridge-delivery.md#retries): claims due rows of
 * `event_deliveries` under a row lease (one node sends a row at a time), sends each, and records the
 * outcome in one transaction: delivered → the row goes; failed → retried with the target's
 * RetryPolicy (default 185 retries within 24 hours, exponential backoff with jitter, as
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html describes), and once the
 * policy is exhausted or the failure is final, the event goes to the target's DLQ (or is dropped).
 */
import type { Destinations } from '../delivery/destinations.ts';
import type { Ids } from '../ids.ts';
import { type ApiOutcome, sendToApiDestination } from '../services/events/deliver-api.ts';
import { deadLetter, type ExhaustedCondition } from '../services/events/deliver-dlq.ts';
import type { RowTarget } from '../services/events/deliver-targets.ts';
import type { EventDelivery, Store } from '../store/types.ts';

export const DEFAULT_MAX_RETRIES = 185;
export const DEFAULT_MAX_AGE_S = 86_400;
const LEASE_MS = 30_000;
const BATCH = 50;
/** The first retry after 1 s, doubling to at most 5 minutes between attempts. */
const BASE_MS = 1_000;
const CAP_MS = 300_000;

export interface SenderEnv {
  owner: string;
  now: Date;
  ids: Ids;
  destinations: Destinations;
  /** the send itself (tests stand in for HTTP) */
  send?: (store: Store, row: EventDelivery, target: RowTarget) => Promise<ApiOutcome>;
}

/** One round: sends every due row this node claims; returns how many rows it handled. */
export async function sendDueDeliveries(store: Store, env: SenderEnv): Promise<number> {
  const rows = await store.eventDeliveries.claim(env.owner, env.now, new Date(env.now.getTime() + LEASE_MS), BATCH);
  const send = env.send ?? ((s, row, t) => sendToApiDestination(s, t.target, row.body, env.now));
  await Promise.all(
    rows.map(async (row) => {
      const target = JSON.parse(row.target) as RowTarget;
      const outcome = await send(store, row, target).catch(
        (e: unknown): ApiOutcome => ({ ok: false, code: 'INTERNAL_ERROR', message: e instanceof Error ? e.message : String(e) }),
      );
      await settle(store, row, target, outcome, env);
    }),
  );
  return rows.length;
}

async function settle(store: Store, row: EventDelivery, t: RowTarget, outcome: ApiOutcome, env: SenderEnv): Promise<void> {
  await store
    .transaction(async (tx) => {
      if (outcome.ok) return finish(tx, row, env.owner);
      if (outcome.deferUntil) {
        // throttled by InvocationRateLimitPerSecond: not an attempt
        if (!(await tx.eventDeliveries.retry(row.id, env.owner, row.attempts, outcome.deferUntil, outcome.code, outcome.message))) throw new LostRow();
        return;
      }
      const attempts = row.attempts + 1;
      const maxRetries = t.target.retryPolicy?.MaximumRetryAttempts ?? DEFAULT_MAX_RETRIES;
      const maxAgeMs = (t.target.retryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_MAX_AGE_S) * 1000;
      const next = new Date(env.now.getTime() + backoff(row.id, attempts));
      let exhausted: ExhaustedCondition | undefined;
      if (!outcome.final) {
        if (attempts > maxRetries) exhausted = 'MaximumRetryAttemptsExhausted';
        else if (next.getTime() - row.eventTime.getTime() > maxAgeMs) exhausted = 'MaximumEventAgeExhausted';
        else {
          if (!(await tx.eventDeliveries.retry(row.id, env.owner, attempts, next, outcome.code, outcome.message))) throw new LostRow();
          return;
        }
      }
      const rule = { arn: row.ruleArn, accountId: row.accountId };
      await deadLetter(tx, rule, t.target, t.event, outcome, attempts - 1, { now: env.now, ids: env.ids, destinations: env.destinations }, exhausted);
      await finish(tx, row, env.owner);
    })
    .catch((e: unknown) => {
      // another node took the row over after our lease lapsed: it owns the outcome now
      if (!(e instanceof LostRow)) throw e;
    });
}

async function finish(tx: Store, row: EventDelivery, owner: string): Promise<void> {
  if (!(await tx.eventDeliveries.finish(row.id, owner))) throw new LostRow();
}

class LostRow extends Error {}

/**
 * Exponential backoff with "full jitter" between half and all of the step, the jitter derived from
 * the row and attempt so a test's fixed clock sees fixed times.
 */
export function backoff(id: number, attempts: number): number {
  const step = Math.min(CAP_MS, BASE_MS * 2 ** Math.min(attempts - 1, 20));
  const h = Math.abs(Math.imul(id * 2654435761 + attempts * 40503, 2246822519) % 1000) / 1000;
  return Math.round(step * (0.5 + h / 2));
}
