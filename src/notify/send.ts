/**
 * One HTTP/S POST of an SNS message as SNS makes it
 * (https://docs.aws.amazon.com/sns/latest/dg/http-header.html): the JSON document (or, with raw
 * delivery, the bare message) as the body, `x-amz-sns-message-type`, `-message-id`, `-topic-arn`,
 * `-subscription-arn` (and `x-amz-sns-rawdelivery: true`), the content type of the delivery
 * policy (`text/plain; charset=UTF-8` by default), a 15-second timeout. The outcome: `ok` for a
 * 2xx; `retry` for a 5xx, a 429, a timeout or a connection failure (server-side errors, which the
 * delivery policy retries: https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html);
 * `failed` for any other status (a client-side error, not retried).
 */
import type { SnsDelivery } from '../store/types.ts';

export const TIMEOUT_MS = 15_000;

export type SendOutcome = { kind: 'ok' } | { kind: 'retry' | 'failed'; detail: string };

export type Poster = (url: string, init: { headers: Record<string, string>; body: string; timeoutMs: number }) => Promise<number>;

/** node's fetch: the status, or a thrown error for a connection failure or timeout. */
export const fetchPoster: Poster = async (url, init) => {
  const r = await fetch(url, { method: 'POST', headers: init.headers, body: init.body, signal: AbortSignal.timeout(init.timeoutMs), redirect: 'manual' });
  await r.arrayBuffer().catch(() => undefined);
  return r.status;
};

export function headersFor(d: SnsDelivery, contentType: string): Record<string, string> {
  return {
    'content-type': contentType,
    'user-agent': 'Amazon Simple Notification Service Agent',
    'x-amz-sns-message-type': d.messageType,
    'x-amz-sns-message-id': d.messageId,
    'x-amz-sns-topic-arn': d.topicArn,
    ...(d.messageType !== 'SubscriptionConfirmation' ? { 'x-amz-sns-subscription-arn': d.subscriptionArn } : {}),
    ...(d.raw ? { 'x-amz-sns-rawdelivery': 'true' } : {}),
  };
}

export async function send(post: Poster, d: SnsDelivery, contentType: string): Promise<SendOutcome> {
  let status: number;
  try {
    status = await post(d.endpoint, { headers: headersFor(d, contentType), body: d.body, timeoutMs: TIMEOUT_MS });
  } catch (e) {
    return { kind: 'retry', detail: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
  if (status >= 200 && status < 300) return { kind: 'ok' };
  if (status >= 500 || status === 429) return { kind: 'retry', detail: `HTTP ${status}` };
  return { kind: 'failed', detail: `HTTP ${status}` };
}
