/**
 * Lake queries read a store's records in pages in (event_time, seq) order, each page starting after
 * the last row of the one before (docs/lake.md#evaluation). The index must hold seq too: with only
 * (store_id, event_time) the database sorts every row at or after the cursor's time to find the next
 * page, which makes reading a store quadratic in its size.
 */
import type { Migration } from './index.ts';

export const lakeScan: Migration = {
  name: '025-lake-scan',
  async up(db) {
    await db.schema.createIndex('lake_events_scan').on('lake_events').columns(['store_id', 'event_time', 'seq']).execute();
    await db.schema.dropIndex('lake_events_time').ifExists().execute();
  },
};
