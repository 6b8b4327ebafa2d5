/**
 * TrailStore over Kysely (docs/architecture.md#delivery, https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html, https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html; docs/architecture.md#delivery, docs/architecture.md#storage): trails, logging sessions,
 * digest chains, files waiting for a digest, signing keys (private halves sealed with the SecretBox),
 * and the delivery loop's read of Event history. Settings and status are JSON columns: a handful of
 * trails per region, read whole.
 */
import { PostgresAdapter, type Kysely, type Transaction } from 'kysely';
import { compiled } from './compiled.ts';
import type { DB, Row } from './schema.ts';
import { eventHorizon, findCallSeq, lastEventSeq, readEvents } from './trail-events.ts';
import type { SecretBox } from './secret-box.ts';
import type {
  ChainKey,
  DeliveryBatch,
  DigestChain,
  PendingLogFile,
  SigningKey,
  Trail,
  TrailEvent,
  TrailPatch,
  TrailSession,
  TrailSettings,
  TrailStatus,
  TrailStore,
} from './types.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** read by every trail API call and each delivery pass (compiled.ts) */
const liveTrails = compiled((db) => db.selectFrom('trails').selectAll().where('deleted', '=', 0).orderBy('id'));

/** Delivery leases kept outside the tables (PostgreSQL advisory locks: postgres/leases.ts). */
export interface TrailLeases {
  claim(trailId: number): Promise<boolean>;
  release(trailId: number): Promise<void>;
}
type TrailRow = Row<'trails'>;
type SessionRow = Row<'trail_sessions'>;

const DATE_FIELDS = [
  'startLoggingTime',
  'stopLoggingTime',
  'latestDeliveryTime',
  'latestDeliveryAttemptTime',
  'latestDeliverySucceededTime',
  'latestDigestDeliveryTime',
  'latestNotificationTime',
  'latestNotificationAttemptTime',
  'latestNotificationSucceededTime',
  'nextAttemptAt',
  'latestCloudWatchLogsDeliveryTime',
  'cloudWatchLogsNextAttemptAt',
] as const;

function statusToJson(s: TrailStatus): string {
  const o: Record<string, unknown> = { ...s };
  for (const f of DATE_FIELDS) if (s[f]) o[f] = s[f]!.getTime();
  return JSON.stringify(o);
}

function statusFromJson(text: string): TrailStatus {
  const o = JSON.parse(text) as Record<string, unknown>;
  for (const f of DATE_FIELDS) if (typeof o[f] === 'number') o[f] = new Date(o[f] as number);
  return o as unknown as TrailStatus;
}

const SETTING_KEYS: (keyof TrailSettings)[] = [
  's3BucketName',
  's3KeyPrefix',
  'snsTopicName',
  'includeGlobalServiceEvents',
  'isMultiRegionTrail',
  'logFileValidationEnabled',
  'cloudWatchLogsLogGroupArn',
  'cloudWatchLogsRoleArn',
  'kmsKeyId',
  'isOrganizationTrail',
  'selectors',
  'tags',
];

function settingsOf(t: Partial<TrailSettings>): Partial<TrailSettings> {
  const o: Record<string, unknown> = {};
  for (const k of SETTING_KEYS) if (t[k] !== undefined) o[k] = t[k];
  return o as Partial<TrailSettings>;
}

const touchesAnything = (p: TrailPatch) => SETTING_KEYS.some((k) => k in p) || !!p.status || p.deleted !== undefined;

function toTrail(r: TrailRow): Trail {
  return {
    ...(JSON.parse(r.settings) as TrailSettings),
    id: Number(r.id),
    name: r.name,
    homeRegion: r.home_region,
    arn: r.arn,
    createdAt: new Date(Number(r.created_at)),
    status: statusFromJson(r.status),
    deleted: Number(r.deleted) === 1,
  };
}

function toSession(r: SessionRow): TrailSession {
  const stop = r.stop ? (JSON.parse(r.stop) as { seq: number; eventName: string; requestId: string; at: number; resolved?: boolean }) : undefined;
  return {
    id: Number(r.id),
    trailId: Number(r.trail_id),
    startSeq: Number(r.start_seq),
    cursor: Number(r.cursor),
    startedAt: new Date(Number(r.started_at)),
    ...(stop ? { stop: { ...stop, at: new Date(stop.at) } } : {}),
    ...(r.batch ? { batch: JSON.parse(r.batch) as DeliveryBatch } : {}),
  };
}

export class KyselyTrailStore implements TrailStore {
  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
    private readonly leases?: TrailLeases,
  ) {}

  async createTrail(t: Omit<Trail, 'id'>): Promise<Trail> {
    const row = await this.db
      .insertInto('trails')
      .values({
        name: t.name,
        home_region: t.homeRegion,
        arn: t.arn,
        created_at: t.createdAt.getTime(),
        deleted: t.deleted ? 1 : 0,
        settings: JSON.stringify(settingsOf(t)),
        status: statusToJson(t.status),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ...t, id: Number(row.id) };
  }

  async getTrail(id: number): Promise<Trail | undefined> {
    const r = await this.db.selectFrom('trails').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toTrail(r) : undefined;
  }

  async listTrails(opts: { withDeleted?: boolean } = {}): Promise<Trail[]> {
    if (!opts.withDeleted) return (await liveTrails(this.db)).map(toTrail);
    return (await this.db.selectFrom('trails').selectAll().orderBy('id').execute()).map(toTrail);
  }

  /**
   * Read-modify-write of the JSON columns in one transaction (row-locked on PostgreSQL), writing only
   * the columns the patch touches: the API and the delivery loop update the same row.
   */
  async updateTrail(id: number, patch: TrailPatch): Promise<void> {
    const run = async (db: Db) => {
      const pg = db.getExecutor().adapter instanceof PostgresAdapter;
      const row = await db
        .selectFrom('trails')
        .selectAll()
        .where('id', '=', id)
        .$if(pg, (q) => q.forUpdate())
        .executeTakeFirst();
      if (!row) return;
      const current = toTrail(row);
      const touchesSettings = SETTING_KEYS.some((k) => k in patch);
      const settings = { ...settingsOf(current), ...settingsOf(patch) };
      for (const k of SETTING_KEYS) if (k in patch && patch[k] === undefined) delete settings[k];
      await db
        .updateTable('trails')
        .set({
          ...(touchesSettings ? { settings: JSON.stringify(settings) } : {}),
          ...(patch.status ? { status: statusToJson({ ...current.status, ...patch.status }) } : {}),
          ...(patch.deleted !== undefined ? { deleted: patch.deleted ? 1 : 0 } : {}),
        })
        .where('id', '=', id)
        .execute();
    };
    if (!touchesAnything(patch)) return;
    return this.db.isTransaction ? run(this.db) : (this.db as Kysely<DB>).transaction().execute(run);
  }

  async deleteTrail(id: number): Promise<void> {
    const sessions = this.db.selectFrom('trail_sessions').select('id').where('trail_id', '=', id);
    await this.db.deleteFrom('trail_log_files').where('session_id', 'in', sessions).execute();
    await this.db.deleteFrom('trail_chains').where('session_id', 'in', sessions).execute();
    await this.db.deleteFrom('trail_sessions').where('trail_id', '=', id).execute();
    await this.db.deleteFrom('trails').where('id', '=', id).execute();
    await this.leases?.release(id);
  }

  /**
   * With leases (PostgreSQL) the database's lock decides. Otherwise (SQLite: nodes sharing one file)
   * a row lease: one UPDATE that only succeeds when the lease is free, ours or expired; the holder
   * renews it on every claim, and a dead holder's lease lapses after `until`.
   */
  async claimTrail(id: number, owner: string, now: Date, until: Date): Promise<boolean> {
    if (this.leases) return this.leases.claim(id);
    const r = await this.db
      .updateTable('trails')
      .set({ lease_owner: owner, lease_until: until.getTime() })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_owner', '=', owner), eb('lease_until', '<', now.getTime())]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async openSession(s: Omit<TrailSession, 'id'>): Promise<TrailSession> {
    const row = await this.db
      .insertInto('trail_sessions')
      .values({
        trail_id: s.trailId,
        start_seq: s.startSeq,
        cursor: s.cursor,
        started_at: s.startedAt.getTime(),
        stop: null,
        batch: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ...s, id: Number(row.id) };
  }

  async listSessions(trailId: number): Promise<TrailSession[]> {
    return (await this.db.selectFrom('trail_sessions').selectAll().where('trail_id', '=', trailId).orderBy('id').execute()).map(toSession);
  }

  async updateSession(id: number, patch: Partial<Pick<TrailSession, 'stop'>> & { batch?: DeliveryBatch | null }): Promise<void> {
    const set: Partial<SessionRow> = {};
    if (patch.stop) set.stop = JSON.stringify({ ...patch.stop, at: patch.stop.at.getTime() });
    if (patch.batch !== undefined) set.batch = patch.batch ? JSON.stringify(patch.batch) : null;
    if (Object.keys(set).length) await this.db.updateTable('trail_sessions').set(set).where('id', '=', id).execute();
  }

  async planBatch(id: number, cursor: number, batch: DeliveryBatch): Promise<boolean> {
    const r = await this.db
      .updateTable('trail_sessions')
      .set({ batch: JSON.stringify(batch) })
      .where('id', '=', id)
      .where('cursor', '=', cursor)
      .where('batch', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async advanceCursor(id: number, from: number, to: number): Promise<boolean> {
    const r = await this.db.updateTable('trail_sessions').set({ cursor: to, batch: null }).where('id', '=', id).where('cursor', '=', from).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async deleteSession(id: number): Promise<void> {
    await this.db.deleteFrom('trail_log_files').where('session_id', '=', id).execute();
    await this.db.deleteFrom('trail_chains').where('session_id', '=', id).execute();
    await this.db.deleteFrom('trail_sessions').where('id', '=', id).execute();
  }

  async listChains(sessionId: number): Promise<DigestChain[]> {
    const rows = await this.db.selectFrom('trail_chains').selectAll().where('session_id', '=', sessionId).orderBy('account_id').orderBy('region').execute();
    return rows.map((r) => ({
      sessionId: Number(r.session_id),
      accountId: r.account_id,
      region: r.region,
      ...(r.organization_id ? { organizationId: r.organization_id } : {}),
      periodStart: new Date(Number(r.period_start)),
      ...(r.previous ? { previous: JSON.parse(r.previous) as DigestChain['previous'] } : {}),
    }));
  }

  async putChain(c: DigestChain): Promise<void> {
    const values = {
      session_id: c.sessionId,
      account_id: c.accountId,
      region: c.region,
      organization_id: c.organizationId ?? null,
      period_start: c.periodStart.getTime(),
      previous: c.previous ? JSON.stringify(c.previous) : null,
    };
    await this.db
      .insertInto('trail_chains')
      .values(values)
      .onConflict((oc) =>
        oc
          .columns(['session_id', 'account_id', 'region'])
          .doUpdateSet({ period_start: values.period_start, previous: values.previous, organization_id: values.organization_id }),
      )
      .execute();
  }

  async deleteChains(sessionId: number, chain?: ChainKey): Promise<void> {
    let q = this.db.deleteFrom('trail_chains').where('session_id', '=', sessionId);
    if (chain) q = q.where('account_id', '=', chain.accountId).where('region', '=', chain.region);
    await q.execute();
    let f = this.db.deleteFrom('trail_log_files').where('session_id', '=', sessionId);
    if (chain) f = f.where('account_id', '=', chain.accountId).where('region', '=', chain.region);
    await f.execute();
  }

  async addLogFiles(files: PendingLogFile[]): Promise<void> {
    if (!files.length) return;
    await this.db
      .insertInto('trail_log_files')
      .values(
        files.map((f) => ({
          session_id: f.sessionId,
          account_id: f.accountId,
          region: f.region,
          bucket: f.bucket,
          object_key: f.key,
          hash: f.hash,
          oldest_event_time: f.oldestEventTime.getTime(),
          newest_event_time: f.newestEventTime.getTime(),
          delivered_at: f.deliveredAt.getTime(),
        })),
      )
      .execute();
  }

  async pendingLogFiles(chain: ChainKey & { sessionId: number }, before?: Date): Promise<PendingLogFile[]> {
    let q = this.db
      .selectFrom('trail_log_files')
      .selectAll()
      .where('session_id', '=', chain.sessionId)
      .where('account_id', '=', chain.accountId)
      .where('region', '=', chain.region);
    if (before) q = q.where('delivered_at', '<', before.getTime());
    return (await q.orderBy('id').execute()).map((r) => ({
      id: Number(r.id),
      sessionId: Number(r.session_id),
      accountId: r.account_id,
      region: r.region,
      bucket: r.bucket,
      key: r.object_key,
      hash: r.hash,
      oldestEventTime: new Date(Number(r.oldest_event_time)),
      newestEventTime: new Date(Number(r.newest_event_time)),
      deliveredAt: new Date(Number(r.delivered_at)),
    }));
  }

  async deleteLogFiles(ids: number[]): Promise<void> {
    for (let i = 0; i < ids.length; i += 500)
      await this.db
        .deleteFrom('trail_log_files')
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
  }

  async listSigningKeys(region: string): Promise<SigningKey[]> {
    const rows = await this.db.selectFrom('signing_keys').selectAll().where('region', '=', region).orderBy('valid_from').execute();
    return rows.map((r) => ({
      fingerprint: r.fingerprint,
      region: r.region,
      privateKeyPem: this.box.open(r.private_key),
      publicKeyDer: Buffer.from(r.public_key, 'base64'),
      validFrom: new Date(Number(r.valid_from)),
      ...(r.valid_to !== null ? { validTo: new Date(Number(r.valid_to)) } : {}),
    }));
  }

  async putSigningKey(k: SigningKey): Promise<void> {
    await this.db
      .insertInto('signing_keys')
      .values({
        fingerprint: k.fingerprint,
        region: k.region,
        private_key: this.box.seal(k.privateKeyPem),
        public_key: k.publicKeyDer.toString('base64'),
        valid_from: k.validFrom.getTime(),
        valid_to: k.validTo ? k.validTo.getTime() : null,
      })
      .execute();
  }

  async retireSigningKey(fingerprint: string, at: Date): Promise<void> {
    await this.db.updateTable('signing_keys').set({ valid_to: at.getTime() }).where('fingerprint', '=', fingerprint).execute();
  }

  async lowestCursor(): Promise<number | undefined> {
    const r = await this.db
      .selectFrom('trail_sessions')
      .select((eb) => eb.fn.min<number | null>('cursor').as('m'))
      .executeTakeFirst();
    return r?.m === null || r?.m === undefined ? undefined : Number(r.m);
  }

  eventHorizon(now: Date): Promise<number> {
    return eventHorizon(this.db, now);
  }
  lastEventSeq(): Promise<number> {
    return lastEventSeq(this.db);
  }
  readEvents(after: number, upTo: number, limit: number): Promise<TrailEvent[]> {
    return readEvents(this.db, after, upTo, limit);
  }
  findCallSeq(after: number, eventName: string, requestId: string): Promise<number | undefined> {
    return findCallSeq(this.db, after, eventName, requestId);
  }
}
