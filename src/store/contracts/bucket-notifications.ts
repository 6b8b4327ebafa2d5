/**
 * S3 bucket notification configurations (docs/notifications.md;
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventNotifications.html), kept in the store
 * so an S3 call and trail delivery's commit read them inside their own transaction and the messages
 * they raise commit with them. store/bucket-notifications.ts implements it.
 */

/** One destination rule (a QueueConfiguration or TopicConfiguration), as PutBucketNotificationConfiguration accepted it. */
export interface NotificationRule {
  /** the configuration's Id (generated when the request gave none) */
  id: string;
  kind: 'queue' | 'topic';
  /** queue or topic ARN */
  arn: string;
  /** event types as given, e.g. `s3:ObjectCreated:*` */
  events: string[];
  /** key name filter rules, names as S3 answers them (Prefix, Suffix), in the order given */
  filter: { name: 'Prefix' | 'Suffix'; value: string }[];
}

export interface BucketNotificationConfiguration {
  rules: NotificationRule[];
}

export interface BucketNotificationStore {
  /** The bucket's configuration; undefined when it has none (or an empty one). */
  get(accountId: string, bucket: string): Promise<BucketNotificationConfiguration | undefined>;
  /** Replaces the configuration; an empty rule list removes it. */
  put(accountId: string, bucket: string, config: BucketNotificationConfiguration, now: Date): Promise<void>;
  /** Removes the configuration (DeleteBucket). */
  delete(accountId: string, bucket: string): Promise<void>;
  /**
   * The bucket's next event sequence number (strictly increasing per bucket, across nodes: a row
   * update in the caller's transaction); undefined when the bucket has no configuration.
   */
  nextSequence(accountId: string, bucket: string): Promise<number | undefined>;
}
