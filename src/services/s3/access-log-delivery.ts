/**
 * Server access log delivery (docs/s3.md#server-access-logging): one consumer of the committed
 * record stream, `s3:access-logs` (docs/architecture.md#record-stream), turns each S3 call on a bucket
 * with logging on into one log line (access-log-format.ts) and writes them, per source bucket and
 * round, as one log object into the target bucket
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html).
 *
 * Nothing accepted is lost (docs/s3.md#server-access-logging): the lines come from the committed
 * records; a round's extent is persisted (planRound) before its objects are written, and the cursor
 * moves only after; a log object's key is a function of its source bucket and its first record (its
 * time and sequence). So a round replayed after a crash — or by another node — writes the same keys
 * with the same bytes, and no line is lost or written twice. One node at a time writes (the
 * consumer's row lease), and the cursor check fences one that lost it.
 * The objects go straight to the object store, not through the API: they are no caller's calls, so
 * they leave no CloudTrail record, and so no log line either (a bucket logging into itself logs no
 * log delivery).
 */
import type { ObjectStore } from '../../objects/index.ts';
import { startPeriodic, type PeriodicLog, type PeriodicTimer } from '../../periodic.ts';
import { ObjectStoreError } from '../../objects/index.ts';
import type { ServiceModel } from '../../protocol/model.ts';
import type { Store, TrailEvent } from '../../store/types.ts';
import { accessLogLine, logObjectKey, type S3Record, uniqueString } from './access-log-format.ts';
import { loggingOf, type StoredLogging } from './logging.ts';

export const ACCESS_LOG_CONSUMER = 's3:access-logs';
// a node killed mid-round holds the writer back this long (then another, or its restart, takes over)
const LEASE_MS = 10_000;
const PAGE = 1000;

/** The consumer starts at the stream's end the first time a bucket turns logging on (PutBucketLogging, in its transaction). */
export async function ensureAccessLogConsumer(store: Store, now: Date): Promise<void> {
  await store.recordConsumers.ensure(ACCESS_LOG_CONSUMER, await store.trails.lastEventSeq(), now);
}

interface Batch {
  source: { bucket: string; accountId: string; region: string };
  config: StoredLogging;
  firstSeq: number;
  firstTime: Date;
  lines: string[];
}

/** The log objects one page of records makes: per source bucket with logging on, its lines in sequence order. */
export async function planLogObjects(objects: ObjectStore, model: ServiceModel, records: TrailEvent[], configuredAccount: string): Promise<Batch[]> {
  const buckets = new Map<string, Promise<{ config: StoredLogging; accountId: string; region: string } | undefined>>();
  const sourceOf = (bucket: string) => {
    let p = buckets.get(bucket);
    if (!p) {
      p = (async () => {
        const [config, info] = await Promise.all([loggingOf(objects, bucket), objects.getBucket(bucket).catch(() => undefined)]);
        return config && info ? { config, accountId: info.owner ?? configuredAccount, region: info.region } : undefined;
      })();
      buckets.set(bucket, p);
    }
    return p;
  };
  const batches = new Map<string, Batch>();
  for (const e of records) {
    if (e.eventSource !== 's3.amazonaws.com') continue;
    const r = JSON.parse(e.json) as S3Record;
    const bucket = r.requestParameters?.bucketName;
    if (typeof bucket !== 'string') continue;
    const source = await sourceOf(bucket);
    if (!source) continue;
    // one line per call: a cross-account call's copy in the caller's account is the same call
    if (r.recipientAccountId !== undefined && r.recipientAccountId !== source.accountId) continue;
    // calls before logging was turned on (the record's time has whole seconds)
    if (Date.parse(r.eventTime) < Math.floor(Date.parse(source.config.since) / 1000) * 1000) continue;
    let b = batches.get(bucket);
    if (!b) {
      b = { source: { bucket, accountId: source.accountId, region: source.region }, config: source.config, firstSeq: e.seq, firstTime: e.eventTime, lines: [] };
      batches.set(bucket, b);
    }
    b.lines.push(accessLogLine(model, r, bucket, source.accountId));
  }
  return [...batches.values()];
}

/** One batch's object: its key (a function of the batch's source bucket and first record) and body. */
export function logObject(b: Batch): { bucket: string; key: string; body: Buffer } {
  return {
    bucket: b.config.TargetBucket,
    key: logObjectKey(b.config, b.source, b.firstTime, uniqueString(b.source.bucket, b.firstSeq)),
    body: Buffer.from(`${b.lines.join('\n')}\n`),
  };
}

export interface AccessLogDeps {
  store: Store;
  objects: ObjectStore;
  model: ServiceModel;
  /** the configured account: owner of buckets made before accounts */
  accountId: string;
  /** this node's lease owner id */
  owner: string;
}

/** One round: returns how many records were read and whether more are waiting. */
export async function deliverAccessLogs(d: AccessLogDeps, now: Date): Promise<{ consumed: number; more: boolean; objects: number }> {
  const idle = { consumed: 0, more: false, objects: 0 };
  // an idle stream (or no bucket ever logged) costs one or two reads, not a lease write
  const known = await d.store.recordConsumers.get(ACCESS_LOG_CONSUMER);
  if (!known || known.cursor >= (await d.store.trails.lastEventSeq())) return idle;
  if (!(await d.store.recordConsumers.claim(ACCESS_LOG_CONSUMER, d.owner, now, new Date(now.getTime() + LEASE_MS)))) return idle;
  const consumer = await d.store.recordConsumers.get(ACCESS_LOG_CONSUMER);
  if (!consumer) return idle;
  const round = await planRound(d.store, consumer.cursor, now);
  if (!round) return idle;
  const { to } = round;
  const records = await d.store.trails.readEvents(consumer.cursor, to, PAGE);
  const written = planLogObjects(d.objects, d.model, records, d.accountId).then((batches) => batches.map(logObject));
  for (const o of await written) {
    try {
      await d.objects.putObject(o.bucket, o.key, { body: o.body, contentType: 'text/plain' }, now);
    } catch (e) {
      // a target bucket deleted since: its lines have nowhere to go (S3 too stops delivering)
      if (e instanceof ObjectStoreError && e.code === 'NoSuchBucket') continue;
      throw e;
    }
  }
  // a lost lease: the new owner writes the same keys; this owner's progress is dropped
  await d.store.transaction(async (tx) => {
    await tx.recordConsumers.advance(ACCESS_LOG_CONSUMER, consumer.cursor, to);
  });
  return { consumed: records.length, more: round.more, objects: (await written).length };
}

const PLAN_KEY = `${ACCESS_LOG_CONSUMER}:plan`;

/**
 * Where the round from `from` ends: the persisted plan's end if a round from there was planned
 * (a replay after a crash, or another node's round), else up to the commit horizon or a page, persisted
 * before anything is written. Every attempt at the round from `from` therefore reads the same records
 * and writes the same objects, byte for byte. The plan is made under the consumer row's lock (an
 * update of its cursor to itself), so two nodes cannot plan the same round differently; undefined
 * when there is nothing to do or the cursor moved.
 */
async function planRound(store: Store, from: number, now: Date): Promise<{ to: number; more: boolean } | undefined> {
  const horizon = await store.trails.eventHorizon(now);
  // the extent this node would give the round: the horizon, or the end of a full page
  const page = horizon > from ? await store.trails.readEvents(from, horizon, PAGE) : [];
  const last = page.at(-1);
  const candidate = page.length === PAGE && last ? last.seq : horizon;
  return store.transaction(async (tx) => {
    if (!(await tx.recordConsumers.advance(ACCESS_LOG_CONSUMER, from, from))) return undefined;
    const text = await tx.kv.get(PLAN_KEY);
    const plan = text === undefined ? undefined : (JSON.parse(text) as { from: number; to: number });
    if (plan?.from === from) return { to: plan.to, more: plan.to < horizon };
    if (candidate <= from) return undefined;
    await tx.kv.put(PLAN_KEY, JSON.stringify({ from, to: candidate }));
    return { to: candidate, more: candidate < horizon };
  });
}

/** The background loop: a round every `intervalMs`, each draining what is waiting (a page at a time). */
export function startAccessLogs(d: AccessLogDeps, opts: { clock: () => Date; log: PeriodicLog; intervalMs: number }): PeriodicTimer {
  return startPeriodic(
    async () => {
      for (let page = 0; page < 20; page++) if (!(await deliverAccessLogs(d, opts.clock())).more) break;
    },
    { intervalMs: opts.intervalMs, failure: 's3 access log round failed', log: opts.log },
  );
}
