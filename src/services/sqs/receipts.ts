/**
 * Receipt handles (docs/sqs.md#receipt-handles): opaque, bound to one receive of one message. A
 * handle names the message (queue and seq) and carries the random token of that receive; a later
 * receive of the message replaces the token, so an older handle no longer changes it
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html).
 */
import { randomBytes } from 'node:crypto';
import type { Queue } from '../../store/types.ts';

export interface Receipt {
  seq: number;
  token: string;
}

export const newToken = () => randomBytes(16).toString('hex');

export function receiptHandle(q: Queue, seq: number, token: string): string {
  return Buffer.from(`${q.accountId}:${q.name}:${seq}:${token}`, 'utf8').toString('base64');
}

/** The receive a handle names: undefined when it is no receipt handle, 'other-queue' when it is another queue's. */
export function parseReceipt(q: Queue, handle: string): Receipt | 'other-queue' | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(handle) || handle.length > 1024) return undefined;
  const m = /^(\d{12}):([A-Za-z0-9_.-]{1,80}):(\d{1,15}):([0-9a-f]{32})$/.exec(Buffer.from(handle, 'base64').toString('utf8'));
  if (!m) return undefined;
  if (m[1] !== q.accountId || m[2] !== q.name) return 'other-queue';
  return { seq: Number(m[3]), token: m[4]! };
}
