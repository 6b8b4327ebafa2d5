/**
 * In-process wake-ups for long polls (docs/sqs.md#long-polling): a call that commits a change a
 * long poll waits for (a message sent to its queue) notifies the poll's key once per change, and
 * that many polls waiting on that key on this node try again at once. The server processes of one
 * `--workers N` server pass their wake-ups to each other (`relay`, src/server/workers.ts); other
 * nodes' changes are found by the poll's own interval.
 */
export class Wakeups {
  private readonly waiting = new Map<string, Set<() => void>>();
  /** set in a worker process of `--workers N`: passes each local notify to the sibling processes */
  relay: ((key: string) => void) | undefined;

  /** Resolves when `key` is notified or after `ms`, whichever comes first. */
  wait(key: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiting.get(key) ?? new Set<() => void>();
      this.waiting.set(key, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (!set.size && this.waiting.get(key) === set) this.waiting.delete(key);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      set.add(done);
    });
  }

  /**
   * Wakes the longest-waiting poll on `key`: one per change (a message sent wakes one receiver),
   * so a send does not make every waiting receiver retry at once.
   */
  notify(key: string): void {
    this.notifyLocal(key);
    this.relay?.(key);
  }

  /** Wakes a poll of this process only: a wake-up a sibling process relayed. */
  notifyLocal(key: string): void {
    const first = this.waiting.get(key)?.values().next().value;
    first?.();
  }
}

/** The process's wake-ups, shared by every pipeline in it (a spurious wake-up only costs one retry). */
export const processWakeups = new Wakeups();
