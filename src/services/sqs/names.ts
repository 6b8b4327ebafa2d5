/**
 * Queue names, ARNs and URLs (docs/sqs.md#queue-urls). A queue URL is
 * `${publicUrl}/${account}/${name}`; any URL whose path is `/<12 digits>/<name>` names that queue
 * (clients reach the server by many host names), as AWS accepts its queue URLs.
 * Names: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html
 */
import type { Config } from '../types.ts';
import { invalidAddress, invalidParameterValue } from './errors.ts';

const NAME = /^[A-Za-z0-9_-]{1,80}$/;

export interface QueueRef {
  accountId: string;
  name: string;
}

export function checkQueueName(name: string): { fifo: boolean } {
  const fifo = name.endsWith('.fifo');
  const base = fifo ? name.slice(0, -5) : name;
  if (!NAME.test(base) || name.length > 80) throw invalidParameterValue('Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
  return { fifo };
}

export const queueArn = (region: string, accountId: string, name: string) => `arn:aws:sqs:${region}:${accountId}:${name}`;
export const queueUrl = (config: Config, accountId: string, name: string) => `${config.publicUrl.replace(/\/+$/, '')}/${accountId}/${name}`;

const PATH = /^\/(\d{12})\/([A-Za-z0-9_.-]{1,80})\/?$/;

/** The queue a path names (`/<account>/<name>`), if it names one. */
export function refFromPath(path: string): QueueRef | undefined {
  const m = PATH.exec(path);
  return m ? { accountId: m[1]!, name: m[2]! } : undefined;
}

/** The queue a QueueUrl names; InvalidAddress when it is no queue URL at all. */
export function refFromUrl(url: string): QueueRef {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    // a bare path or queue name is no address
    throw invalidAddress(url);
  }
  const ref = refFromPath(path);
  if (!ref) throw invalidAddress(url);
  return ref;
}

/** The queue an ARN names (`arn:aws:sqs:<region>:<account>:<name>`), if it is one. */
export function refFromArn(arn: string): (QueueRef & { region: string }) | undefined {
  const m = /^arn:aws:sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_.-]{1,80})$/.exec(arn);
  return m ? { region: m[1]!, accountId: m[2]!, name: m[3]! } : undefined;
}
