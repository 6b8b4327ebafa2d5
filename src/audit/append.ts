/**
 * Where a call's records go: every record into the one record stream (EventStore), data events
 * (eventCategory Data) marked so — recorded and delivered to trails that select them, never shown
 * by LookupEvents. They are written with the call's commit (EventStore.appendAtCommit).
 */
import type { Store, StoredEvent } from '../store/types.ts';

export async function appendRecords(store: Store, records: StoredEvent[]): Promise<void> {
  await store.events.appendAtCommit(records);
}
