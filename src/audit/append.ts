/**
 * Where a call's records go: management events to Event history (EventStore), data events
 * (eventCategory Data) to the DataEventStore — recorded all the same, never shown by LookupEvents.
 */
import type { Store, StoredEvent } from '../store/types.ts';

export async function appendRecords(store: Store, records: StoredEvent[]): Promise<void> {
  const data = records.filter((r) => r.category === 'Data');
  const management = data.length ? records.filter((r) => r.category !== 'Data') : records;
  if (management.length) await store.events.append(management);
  if (data.length) await store.dataEvents.append(data);
}
