/**
 * Claiming due rows of a delivery outbox with a row lease (SNS's `sns_deliveries`, EventBridge's
 * `event_deliveries`; docs/architecture.md#record-stream): the rows whose next attempt is due and
 * whose lease is free or lapsed, oldest first, leased to `owner` until `leaseUntil`. The lease is
 * re-checked on each row the UPDATE takes, so two nodes claiming at once never take the same row.
 * An idle outbox costs one read (on SQLite a write would commit the open group early).
 */
import type { Kysely, Selectable } from 'kysely';
import type { DB } from './schema.ts';

export type OutboxTable = 'sns_deliveries' | 'event_deliveries';

export async function claimDue<T extends OutboxTable>(
  db: Kysely<DB>,
  table: T,
  owner: string,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<Selectable<DB[T]>[]> {
  // the two tables share the lease columns; Kysely cannot type a query over a union of tables
  const q = db as unknown as Kysely<Record<OutboxTable, { id: number; next_attempt_at: number; lease_owner: string | null; lease_until: number | null }>>;
  const t = now.getTime();
  const free = (eb: any) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', t)]);
  const due = q
    .selectFrom(table as OutboxTable)
    .select('id')
    .where('next_attempt_at', '<=', t)
    .where(free)
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit);
  if (!(await due.executeTakeFirst())) return [];
  await q
    .updateTable(table as OutboxTable)
    .set({ lease_owner: owner, lease_until: leaseUntil.getTime() })
    .where('id', 'in', due)
    .where(free)
    .execute();
  const rows = await q
    .selectFrom(table as OutboxTable)
    .selectAll()
    .where('lease_owner', '=', owner)
    .where('lease_until', '=', leaseUntil.getTime())
    .orderBy('id')
    .execute();
  return rows as unknown as Selectable<DB[T]>[];
}
