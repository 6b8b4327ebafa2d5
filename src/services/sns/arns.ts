/**
 * SNS names and ARNs (https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html,
 * https://docs.aws.amazon.com/sns/latest/dg/sns-create-topic.html): topic names are 1–256 ASCII
 * letters, digits, hyphens and underscores (a FIFO topic's end in `.fifo`); a topic's ARN is
 * `arn:aws:sns:<region>:<account>:<name>`, a subscription's `<topicArn>:<uuid>`.
 */
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;
const TOPIC_ARN = /^arn:aws:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256}|[A-Za-z0-9_-]{1,251}\.fifo)$/;
const SUBSCRIPTION_ARN = /^(arn:aws:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]{1,256}):([0-9a-f-]{36})$/;
const QUEUE_ARN = /^arn:aws:sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,80}(\.fifo)?)$/;

export const validTopicName = (name: string, fifo: boolean) => (fifo ? FIFO_NAME : TOPIC_NAME).test(name);
export const topicArn = (region: string, account: string, name: string) => `arn:aws:sns:${region}:${account}:${name}`;
export const isFifoName = (name: string) => name.endsWith('.fifo');

export function parseTopicArn(arn: string): { region: string; account: string; name: string } | undefined {
  const m = TOPIC_ARN.exec(arn);
  return m ? { region: m[1]!, account: m[2]!, name: m[3]! } : undefined;
}

export function parseSubscriptionArn(arn: string): { topicArn: string; id: string } | undefined {
  const m = SUBSCRIPTION_ARN.exec(arn);
  return m ? { topicArn: m[1]!, id: m[2]! } : undefined;
}

export function parseQueueArn(arn: string): { region: string; account: string; name: string } | undefined {
  const m = QUEUE_ARN.exec(arn);
  return m ? { region: m[1]!, account: m[2]!, name: m[3]! } : undefined;
}
