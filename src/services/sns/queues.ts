/**
 * SNS → SQS: the one place SNS reaches SQS, through SQS's service-delivery contract
 * (`deliverServiceMessage` of src/services/sqs/deliver.ts, run inside the caller's transaction so
 * the message commits with the Publish or not at all; the queue's policy must allow
 * sns.amazonaws.com for the topic, as on AWS:
 * https://docs.aws.amazon.com/sns/latest/dg/subscribe-sqs-queue-to-sns-topic.html).
 */
export { deliverServiceMessage, type ServiceDelivery, type ServiceMessage } from '../sqs/deliver.ts';
