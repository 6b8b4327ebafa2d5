/**
 * How event data stores fill (docs/lake.md#ingestion): one consumer of the record stream,
 * `lake:stores` (docs/architecture.md#record-stream), copies each committed record into every store
 * that selects it, in the transaction that advances its cursor — each record reaches each store
 * exactly once, across crashes and nodes (delivery/record-consumer.ts). A store keeps records from its
 * creation on (after its `startSeq`), while it ingests and is not pending deletion: its account's
 * records — for an organization store of a management account, those of every account of the
 * organization — of its Region, or every Region when MultiRegionEnabled, that its advanced event
 * selectors select (the fields and operators trails use: delivery/scope.ts).
 */
import { consumeRecords } from '../../../delivery/record-consumer.ts';
import { inScope } from '../../../delivery/scope.ts';
import type { LakeEventDataStore, LakeEventRow, Store, TrailEvent, TrailScope } from '../../../store/types.ts';

export const LAKE_CONSUMER = 'lake:stores';
const LEASE_MS = 5_000;

async function scopeOf(store: Store, s: LakeEventDataStore): Promise<TrailScope> {
  const scope: TrailScope = {
    homeRegion: s.region,
    isMultiRegionTrail: s.settings.multiRegionEnabled,
    includeGlobalServiceEvents: true,
    selectors: { kind: 'advanced', selectors: s.settings.advancedEventSelectors },
    accountId: s.accountId,
  };
  if (s.settings.organizationEnabled) {
    const found = await store.organizations.ofAccount(s.accountId);
    if (found && found.org.managementAccountId === s.accountId) {
      scope.organization = { id: found.org.id, accounts: (await store.organizations.listMembers(found.org.id)).map((m) => m.accountId) };
    }
  }
  return scope;
}

/** Whether store `s` keeps record `r` (its scope already computed). */
export const keeps = (s: LakeEventDataStore, scope: TrailScope, r: TrailEvent): boolean =>
  r.seq > s.startSeq && !s.deletedAt && s.settings.ingestion && inScope(scope, r);

/** One round: returns how many records were read and whether more are waiting. */
export async function fillStores(store: Store, owner: string, now: Date): Promise<{ consumed: number; more: boolean }> {
  // an idle stream costs two reads, not a lease write
  const consumer = await store.recordConsumers.get(LAKE_CONSUMER);
  if (!consumer || consumer.cursor >= (await store.trails.lastEventSeq())) return { consumed: 0, more: false };
  return consumeRecords(store, { name: LAKE_CONSUMER, owner, now, leaseMs: LEASE_MS }, async (tx, records) => {
    const live = (await tx.lake.listStores()).filter((s) => !s.deletedAt && s.settings.ingestion);
    if (!live.length) return;
    const scoped = await Promise.all(live.map(async (s) => ({ s, scope: await scopeOf(tx, s) })));
    const rows: LakeEventRow[] = [];
    for (const r of records) {
      for (const { s, scope } of scoped) if (keeps(s, scope, r)) rows.push({ storeId: s.id, seq: r.seq, eventTime: r.eventTime, record: r.json });
    }
    await tx.lake.appendEvents(rows);
  });
}
