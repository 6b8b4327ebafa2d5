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
export async function consumeRecords(
  store: Store,
  opts: ConsumeOptions,
  handle: (tx: Store, records: TrailEvent[]) => Promise<void>,
): Promise<ConsumeResult> {
  throw new Error('consumeRecords: implemented in the next commit');
}
