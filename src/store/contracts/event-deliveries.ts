/**
 * EventBridge's durable work (docs/eventbridge-delivery.md): target deliveries that could not be made
 * inside the transaction that matched the event (API destinations always; SQS / SNS / log-group
 * targets whose delivery failed), retried by the bus loop with the target's RetryPolicy and then
 * sent to its dead-letter queue; and each scheduled rule's last fire time, so a schedule fires once
 * per time across nodes. Rows are written in the matching transaction, so nothing accepted is lost
 * on kill -9; a row is claimed with a lease (one node sends it at a time), as SNS's outbox is.
 */
export interface EventDelivery {
  id: number;
  accountId: string;
  region: string;
  ruleArn: string;
  targetId: string;
  targetArn: string;
  /** the EventBridge event's id (DLQ attribute and API destination logs) */
  eventId: string;
  /** the event's `time`: MaximumEventAgeInSeconds counts from it */
  eventTime: Date;
  /** what the target receives (the event, or its Input / InputPath / InputTransformer result) */
  body: string;
  /** the target as the rule held it when the event matched (EventTarget, JSON): sending does not depend on later PutTargets */
  target: string;
  /** attempts made so far */
  attempts: number;
  nextAttemptAt: Date;
  /** the last failure, for the DLQ message's ERROR_CODE / ERROR_MESSAGE attributes */
  lastErrorCode?: string;
  lastErrorMessage?: string;
  createdAt: Date;
}

export type NewEventDelivery = Omit<EventDelivery, 'id'>;

export interface EventDeliveryStore {
  add(rows: NewEventDelivery[]): Promise<void>;
  /**
   * Claims up to `limit` rows due at `now` that no other claim holds (lease lapsed or none) for
   * `owner` until `leaseUntil`, oldest due first.
   */
  claim(owner: string, now: Date, leaseUntil: Date, limit: number): Promise<EventDelivery[]>;
  /** Records a failed attempt and frees the row for `nextAttemptAt`; false if `owner` no longer holds it (another node took it over). */
  retry(id: number, owner: string, attempts: number, nextAttemptAt: Date, errorCode: string, errorMessage: string): Promise<boolean>;
  /** Removes a delivered, dead-lettered or dropped row; false if `owner` no longer holds it (the caller rolls back what it sent in the transaction). */
  finish(id: number, owner: string): Promise<boolean>;
  /** Every row (tests, diagnostics), by id. */
  list(): Promise<EventDelivery[]>;
  /** The earliest nextAttemptAt of any row, undefined when none: the loop sleeps until then. */
  nextDue(): Promise<Date | undefined>;

  /** A scheduled rule's last fire time (epoch ms), undefined before its first. */
  lastFire(ruleArn: string): Promise<Date | undefined>;
  /**
   * Moves the rule's last fire time from `from` (undefined: never fired) to `to`; false (nothing
   * changed) if it was not at `from` — another node fired that time: the caller rolls back its event.
   */
  advanceFire(ruleArn: string, accountId: string, region: string, from: Date | undefined, to: Date): Promise<boolean>;
  /** Forgets the rules' fire times (rules deleted or no longer scheduled). */
  forgetFires(ruleArns: string[]): Promise<void>;
  /** Rule ARNs with a stored fire time. */
  firedRules(): Promise<string[]>;
}
