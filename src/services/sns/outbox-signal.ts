/**
 * An in-process notice that HTTP/S outbox rows were written (docs/sns.md#delivery): the delivery loop
 * of this node (src/notify/loop.ts) looks again shortly after, once the writing transaction has
 * committed, instead of at its next round; other nodes find the rows at their next round.
 */
const listeners = new Set<() => void>();

export function onOutboxWrite(fn: () => void): () => void {
  listeners.add(fn);
  return () => {
    listeners.delete(fn);
  };
}

export function outboxWritten(): void {
  for (const fn of listeners) fn();
}
