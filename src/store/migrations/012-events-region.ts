/**
 * Event history per Region (docs/architecture.md#event-history): LookupEvents in a Region answers
 * that Region's records, so a lookup with no attribute walks this (region, time) index.
 */
import type { Migration } from './index.ts';

export const eventsRegion: Migration = {
  name: '012-events-region',
  async up(db) {
    await db.schema.createIndex('events_region').on('events').columns(['region', 'event_time', 'seq']).execute();
  },
};
