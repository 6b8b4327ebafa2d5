/**
 * Dead-letter queues (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html): an
 * event a target could not take goes to the target's DeadLetterConfig SQS queue, with the custom
 * attributes RULE_ARN, TARGET_ARN, ERROR_CODE, ERROR_MESSAGE, and, after retries, EXHAUSTED_RETRY_CONDITION
 * and RETRY_ATTEMPTS; the body is the event. Without a DLQ (or when the DLQ itself refuses) the event
 * is dropped, as AWS drops it. Runs in the caller's transaction.
 */
import type { MessageAttributes } from '../../delivery/destinations.ts';
import type { EventRule, EventTarget } from '../../store/contracts/event-buses.ts';
import type { Store } from '../../store/types.ts';
import type { DispatchEnv } from './dispatch.ts';
import { EVENTS_PRINCIPAL, EVENTS_SENDER_ID } from './deliver-targets.ts';

export interface TargetFailure {
  /** AWS's DLQ ERROR_CODE: NO_RESOURCE, NO_PERMISSIONS, CONNECTION_FAILURE, TIMEOUT, SDK_CLIENT_ERROR, THROTTLING, … */
  code: string;
  message: string;
  /** not retried (missing target, no permission, a non-retryable HTTP status) */
  final?: boolean;
}

export type ExhaustedCondition = 'MaximumRetryAttemptsExhausted' | 'MaximumEventAgeExhausted';

export async function deadLetter(
  tx: Store,
  rule: Pick<EventRule, 'arn' | 'accountId'>,
  target: EventTarget,
  eventJson: string,
  failure: TargetFailure,
  retries: number,
  env: Pick<DispatchEnv, 'now' | 'ids' | 'destinations'>,
  exhausted?: ExhaustedCondition,
): Promise<'sent' | 'dropped'> {
  if (!target.deadLetterArn) return 'dropped';
  const str = (v: string) => ({ DataType: 'String', StringValue: v });
  const attributes: MessageAttributes = {
    RULE_ARN: str(rule.arn),
    TARGET_ARN: str(target.arn),
    ERROR_CODE: str(failure.code),
    ERROR_MESSAGE: str(failure.message),
    ...(exhausted ? { EXHAUSTED_RETRY_CONDITION: str(exhausted), RETRY_ATTEMPTS: { DataType: 'Number', StringValue: String(retries) } } : {}),
  };
  const r = await env.destinations.deliverServiceMessage(
    tx,
    {
      queueArn: target.deadLetterArn,
      body: eventJson,
      messageAttributes: attributes,
      senderId: EVENTS_SENDER_ID,
      servicePrincipal: EVENTS_PRINCIPAL,
      sourceArn: rule.arn,
      sourceAccount: rule.accountId,
    },
    env.now,
    env.ids,
  );
  return r.ok ? 'sent' : 'dropped';
}
