/**
 * What every conformance file shares: how a test gets a fresh store and gives it back, and the
 * fixed instants the fixtures use.
 */
import { test } from 'node:test';
import type { Backend } from '../testing.ts';
import type { Store } from '../types.ts';

/** Opens a fresh, empty store of the backend under test (store/testing.ts openTestStore). */
export type OpenStore = () => Promise<Store>;

export interface Suite {
  backend: Backend;
  open: OpenStore;
}

/** A test on its own fresh store, closed (on PostgreSQL: its schema dropped) whatever the outcome. */
export function storeTest({ open }: Suite, title: string, fn: (s: Store) => Promise<void>): void {
  test(title, async () => {
    const s = await open();
    try {
      await fn(s);
    } finally {
      await s.close();
    }
  });
}

export const at = (iso: string) => new Date(iso);
export const T0 = at('2026-01-01T00:00:00Z');
