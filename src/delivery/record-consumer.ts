/**
 * Drives one consumer of the committed record stream (docs/architecture.md#record-stream): claims its
 * lease, reads the records after its cursor up to the commit horizon, and hands them to `handle` in one
 * transaction that also advances the cursor — so the consumer's output and its progress commit
 * together, exactly once, across crashes and nodes.
 */
import type { Store, TrailEvent } from '../store/types.ts';

export interface ConsumeOptions {
  /** the consumer's name (created by its owner with `store.recordConsumers.ensure`) */
  name: string;
  /** this node's lease owner id */
  owner: string;
  now: Date;
  /** records per transaction (default 500) */
  limit?: number;
  /** lease length (default 30 s) */
  leaseMs?: number;
}

/** Outcome of one round: how many records were handed over, and whether more are waiting. */
export interface ConsumeResult {
  consumed: number;
  more: boolean;
}

/**
 * One round for one consumer. `handle` runs in the transaction that advances the cursor; it receives
 * the records in sequence order (possibly none are relevant to it) and writes its output through `tx`.
 * If `handle` throws, nothing commits and the same records come again next round.
 */
export async function consumeRecords(store: Store, opts: ConsumeOptions, handle: (tx: Store, records: TrailEvent[]) => Promise<void>): Promise<ConsumeResult> {
  const limit = opts.limit ?? 500;
  const until = new Date(opts.now.getTime() + (opts.leaseMs ?? 30_000));
  if (!(await store.recordConsumers.claim(opts.name, opts.owner, opts.now, until))) return { consumed: 0, more: false };
  const consumer = await store.recordConsumers.get(opts.name);
  if (!consumer) return { consumed: 0, more: false };
  const horizon = await store.trails.eventHorizon(opts.now);
  if (horizon <= consumer.cursor) return { consumed: 0, more: false };
  const records = await store.trails.readEvents(consumer.cursor, horizon, limit);
  // a full page ends at its last record; a short one has read everything up to the horizon
  const lastRead = records.at(-1);
  const to = records.length === limit && lastRead ? lastRead.seq : horizon;
  await store
    .transaction(async (tx) => {
      await handle(tx, records);
      if (!(await tx.recordConsumers.advance(opts.name, consumer.cursor, to))) throw new LostConsumer(opts.name);
    })
    .catch((e: unknown) => {
      if (!(e instanceof LostConsumer)) throw e;
    });
  return { consumed: records.length, more: to < horizon };
}

/** Another owner moved the cursor meanwhile: this round's output is rolled back. */
class LostConsumer extends Error {
  constructor(name: string) {
    super(`record consumer ${name}: cursor moved by another owner`);
  }
}
