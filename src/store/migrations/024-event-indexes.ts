/**
 * Fewer indexes on Event history (docs/architecture.md#event-history): every index is another
 * B-tree entry in the audited call's insert and another page in its commit. Two serve no lookup
 * the API can make: `events_time` (time order over every Region — but LookupEvents always reads one
 * Region, which `events_region` orders by time) and `events_read_only` (ReadOnly alone splits the
 * history in two, so walking the Region index and checking read_only per row reads at most about
 * twice the page, store/event-lookup-sql.ts). A lookup of no Region and no other attribute (nothing
 * the API sends) now reads the table in full.
 */
import type { Migration } from './index.ts';

export const eventIndexes: Migration = {
  name: '024-event-indexes',
  async up(db) {
    await db.schema.dropIndex('events_time').ifExists().execute();
    await db.schema.dropIndex('events_read_only').ifExists().execute();
  },
};
