/**
 * ConsoleSessionStore over Kysely (both dialects): the web console's sign-in sessions in the database,
 * so every node behind a load balancer knows them and a restart keeps them. At rest a row holds no
 * secret and no usable key: the cookie's id only as its SHA-256 (the caller hashes), and the
 * credentials' secret key, session token and the CSRF token sealed together with the SecretBox.
 */
import type { Kysely } from 'kysely';
import type { DB, Row } from './schema.ts';
import type { SecretBox } from './secret-box.ts';
import type { ConsoleSessionRecord, ConsoleSessionStore } from './types.ts';

/** What `secrets` seals. */
interface Sealed {
  secretAccessKey: string;
  sessionToken?: string;
  csrf: string;
}

export class KyselyConsoleSessionStore implements ConsoleSessionStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly box: SecretBox,
  ) {}

  async put(s: ConsoleSessionRecord): Promise<void> {
    const sealed: Sealed = {
      secretAccessKey: s.credentials.secretAccessKey,
      ...(s.credentials.sessionToken !== undefined ? { sessionToken: s.credentials.sessionToken } : {}),
      csrf: s.csrf,
    };
    await this.db
      .insertInto('console_sessions')
      .values({
        id_hash: s.idHash,
        access_key_id: s.credentials.accessKeyId,
        secrets: this.box.seal(JSON.stringify(sealed)),
        identity: JSON.stringify(s.identity),
        created_at: s.createdAt,
        expires_at: s.expiresAt,
        last_seen_at: s.lastSeenAt,
      })
      .execute();
  }

  async get(idHash: string): Promise<ConsoleSessionRecord | undefined> {
    const r = await this.db.selectFrom('console_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
    return r && this.toRecord(r);
  }

  private toRecord(r: Row<'console_sessions'>): ConsoleSessionRecord {
    const { secretAccessKey, sessionToken, csrf } = JSON.parse(this.box.open(r.secrets)) as Sealed;
    return {
      idHash: r.id_hash,
      csrf,
      credentials: { accessKeyId: r.access_key_id, secretAccessKey, ...(sessionToken !== undefined ? { sessionToken } : {}) },
      identity: JSON.parse(r.identity),
      createdAt: Number(r.created_at),
      expiresAt: Number(r.expires_at),
      lastSeenAt: Number(r.last_seen_at),
    };
  }

  async touch(idHash: string, at: number): Promise<void> {
    await this.db.updateTable('console_sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash).where('last_seen_at', '<', at).execute();
  }

  async delete(idHash: string): Promise<void> {
    await this.db.deleteFrom('console_sessions').where('id_hash', '=', idHash).execute();
  }

  async deleteEnded(now: number, idleSince: number, limit: number): Promise<number> {
    const ended = this.db
      .selectFrom('console_sessions')
      .select('seq')
      .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleSince)]))
      .limit(limit);
    const r = await this.db.deleteFrom('console_sessions').where('seq', 'in', ended).executeTakeFirst();
    return Number(r.numDeletedRows ?? 0);
  }

  async count(): Promise<number> {
    const r = await this.db
      .selectFrom('console_sessions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async deleteOldest(n: number): Promise<number> {
    if (n <= 0) return 0;
    const oldest = this.db.selectFrom('console_sessions').select('seq').orderBy('seq').limit(n);
    const r = await this.db.deleteFrom('console_sessions').where('seq', 'in', oldest).executeTakeFirst();
    return Number(r.numDeletedRows ?? 0);
  }
}
