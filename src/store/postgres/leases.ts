/**
 * Trail delivery leases on PostgreSQL (docs/architecture.md#storage): a node delivers a trail while
 * it holds a session-level advisory lock on (schema, trail id) on a connection of its own. The
 * database makes it exclusive — no clocks compared between nodes — and ends it when the holder goes:
 *  - process killed or crashed: the kernel closes the socket, the server drops the session and its
 *    locks at once;
 *  - machine gone or network cut: TCP keepalives (a few seconds) end the session;
 *  - process alive but stalled (event loop blocked): `idle_session_timeout` ends the session once
 *    the keep-alive ping has not run for IDLE_LIMIT_MS.
 * A holder notices a lost session at its next claim (the ping or the claim fails) and stops
 * delivering until it wins the lock again; log-file plans are also fenced by the cursor (see
 * TrailStore.planBatch), so a holder that has not noticed yet cannot deliver a record twice.
 */
import pg from 'pg';

/** The server ends the lease session after this long without a statement. */
const IDLE_LIMIT_MS = 10_000;
/** How often the holder pings its lease session: well inside IDLE_LIMIT_MS. */
const PING_MS = 2_000;

export class AdvisoryLeases {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private readonly held = new Set<number>();
  private ping: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly schema: string | undefined,
  ) {}

  /** Takes the trail's lease, or confirms this node still holds it; false while another node holds it. */
  async claim(trailId: number): Promise<boolean> {
    if (this.closed) return false;
    try {
      const c = await this.connect();
      if (this.held.has(trailId)) {
        await c.query('select 1'); // the session — and so the lock — is still there
        return true;
      }
      const r = await c.query<{ ok: boolean }>(`select pg_try_advisory_lock(hashtext(current_schema() || '.trails'), $1::int) as ok`, [trailId]);
      if (r.rows[0]?.ok) this.held.add(trailId);
      return this.held.has(trailId);
    } catch {
      this.drop(); // every lock went with the session; the next claim reconnects
      return false;
    }
  }

  /** Gives the trail up (it was deleted). */
  async release(trailId: number): Promise<void> {
    if (!this.held.delete(trailId) || !this.client) return;
    await this.client.query(`select pg_advisory_unlock(hashtext(current_schema() || '.trails'), $1::int)`, [trailId]).catch(() => this.drop());
  }

  async close(): Promise<void> {
    this.closed = true;
    const c = this.client;
    this.drop();
    await c?.end().catch(() => {});
  }

  private connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const c = new pg.Client({
        // operators (and the multi-node test) see which process delivers: pg_locks joined to pg_stat_activity
        connectionString: this.url,
        keepAlive: true,
        keepAliveInitialDelayMillis: 2_000,
        application_name: `startrail-delivery:${process.pid}`,
        options: [
          ...(this.schema ? [`-c search_path=${this.schema}`] : []),
          '-c tcp_keepalives_idle=2',
          '-c tcp_keepalives_interval=1',
          '-c tcp_keepalives_count=3',
        ].join(' '),
      });
      c.on('error', () => {
        if (this.client === c) this.drop();
      });
      c.on('end', () => {
        if (this.client === c) this.drop();
      });
      try {
        await c.connect();
        // PostgreSQL 14+; older servers still end the session of a dead process or machine, not of a stalled one
        await c.query(`set idle_session_timeout = ${IDLE_LIMIT_MS}`).catch(() => {});
      } catch (e) {
        await c.end().catch(() => {});
        throw e;
      }
      this.client = c;
      this.ping = setInterval(() => {
        void c.query('select 1').catch(() => {
          if (this.client === c) this.drop();
        });
      }, PING_MS);
      this.ping.unref();
      return c;
    })().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private drop(): void {
    if (this.ping) clearInterval(this.ping);
    this.ping = undefined;
    const c = this.client;
    this.client = undefined;
    this.held.clear();
    if (c) void c.end().catch(() => {});
  }
}
