/**
 * Consumers of the committed record stream other than trails' S3 delivery (docs/architecture.md#record-stream):
 * EventBridge's CloudTrail events, a trail's CloudWatch Logs delivery. Each consumer has a cursor (the
 * last sequence it has consumed) that moves only forward, in the same transaction as the consumer's
 * own output, and one owner at a time by row lease; the cursor check in `advance` fences an owner that
 * lost its lease without noticing, so no record is consumed twice. Retention keeps every record after
 * the lowest cursor. store/record-consumers.ts implements it; delivery/record-consumer.ts drives it.
 */
export interface RecordConsumer {
  /** e.g. `events:cloudtrail`, `trail-logs:<trail id>` */
  name: string;
  /** the last sequence consumed: the next read starts after it */
  cursor: number;
  createdAt: Date;
}

export interface RecordConsumerStore {
  /** Creates the consumer with cursor `startSeq` unless it exists; returns the stored consumer (an existing one keeps its cursor). */
  ensure(name: string, startSeq: number, now: Date): Promise<RecordConsumer>;
  get(name: string): Promise<RecordConsumer | undefined>;
  /** Consumers whose name starts with `prefix` (all when absent), by name. */
  list(prefix?: string): Promise<RecordConsumer[]>;
  /** Takes or renews the consumer's lease for `owner` until `until`: false while another owner's lease runs (or the consumer is gone). */
  claim(name: string, owner: string, now: Date, until: Date): Promise<boolean>;
  /** Moves the cursor from `from` to `to`; false (nothing changed) if it was not at `from`: the caller must then roll back its output. */
  advance(name: string, from: number, to: number): Promise<boolean>;
  remove(name: string): Promise<void>;
  /** The lowest cursor of any consumer, undefined if none: retention keeps every record after it. */
  lowestCursor(): Promise<number | undefined>;
}
