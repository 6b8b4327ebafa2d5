/**
 * SQS contracts (docs/sqs.md): queues and their messages; store/queues.ts implements them. Every
 * row carries its account id. Times are Dates here, epoch ms at rest.
 */

/** An SQS queue (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html). */
export interface Queue {
  accountId: string;
  name: string;
  arn: string;
  fifo: boolean;
  /** the settable attributes as given (strings, as the API carries them); defaults are the service's */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdAt: Date;
  modifiedAt: Date;
}

/** A message as sent: what the store keeps of it. */
export interface NewMessage {
  messageId: string;
  body: string;
  /** the message attributes, as the service encodes them (JSON text) */
  messageAttributes?: string;
  /** SenderId, AWSTraceHeader, … (JSON text of name → value) */
  systemAttributes: string;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  md5OfMessageSystemAttributes?: string;
  sentAt: Date;
  /** sentAt + the delay */
  visibleAt: Date;
  groupId?: string;
  deduplicationId?: string;
}

/** A stored message: `seq` is its place in the queue (FIFO order) and part of its receipt handles. */
export interface StoredMessage extends NewMessage {
  seq: number;
  receiveCount: number;
  firstReceivedAt?: Date;
  /** the token of the latest receive; a receipt handle is valid while its token is this one */
  receipt?: string;
}

export interface QueueCounts {
  /** visible now */
  visible: number;
  /** received and not yet visible again (in flight) */
  inFlight: number;
  /** sent with a delay that has not passed */
  delayed: number;
}

export interface QueueStore {
  /** Adds the queue; false when one of that name exists (nothing changes). */
  createQueue(q: Queue): Promise<boolean>;
  getQueue(accountId: string, name: string): Promise<Queue | undefined>;
  /** Queues whose name starts with `prefix`, by name, after `after`, at most `limit`. */
  listQueues(accountId: string, opts: { prefix?: string; after?: string; limit: number }): Promise<Queue[]>;
  updateQueue(accountId: string, name: string, patch: { attributes?: Record<string, string>; tags?: Record<string, string>; modifiedAt: Date }): Promise<void>;
  /** Removes the queue and its messages, remembering when (CreateQueue's QueueDeletedRecently). */
  deleteQueue(accountId: string, name: string, at: Date): Promise<void>;
  /** When a queue of that name was last deleted, if it was. */
  deletedAt(accountId: string, name: string): Promise<Date | undefined>;
  /** Deletes every message of the queue; returns how many. */
  purge(accountId: string, name: string): Promise<number>;
  /** Deletes the messages sent before `cutoff` (the retention period); returns how many. */
  expire(accountId: string, name: string, cutoff: Date): Promise<number>;
  /** Stores one message; returns its seq. */
  addMessage(accountId: string, queueName: string, m: NewMessage): Promise<number>;
  /**
   * FIFO deduplication: the message sent under `key` within its interval (until `expiresAt`), if
   * one was; otherwise remembers `key` for the message now being sent and returns undefined.
   */
  deduplicate(
    accountId: string,
    queueName: string,
    key: string,
    now: Date,
    entry: { messageId: string; seq: number; expiresAt: Date },
  ): Promise<{ messageId: string; seq: number } | undefined>;
  /** The message of the queue with that seq. */
  getMessage(accountId: string, queueName: string, seq: number): Promise<StoredMessage | undefined>;
  /**
   * Up to `max` messages that may be received now, oldest first, locked for this transaction: on
   * PostgreSQL rows another transaction holds are skipped (FOR UPDATE SKIP LOCKED), so concurrent
   * receivers never get one message twice. FIFO: only messages whose group has no earlier message
   * in flight or delayed, and receives on one queue are serialized (the queue row is locked).
   */
  claim(accountId: string, queueName: string, opts: { now: Date; max: number; fifo: boolean }): Promise<StoredMessage[]>;
  /** Marks a claimed message received: a new receipt token, visible again at `visibleAt`. */
  markReceived(seq: number, receipt: string, now: Date, visibleAt: Date): Promise<void>;
  setVisibleAt(seq: number, visibleAt: Date): Promise<void>;
  deleteMessage(seq: number): Promise<void>;
  /** Moves a message to another queue (a dead-letter queue), visible there at once. */
  moveMessage(seq: number, toAccountId: string, toQueueName: string, now: Date): Promise<void>;
  counts(accountId: string, queueName: string, now: Date): Promise<QueueCounts>;
}
