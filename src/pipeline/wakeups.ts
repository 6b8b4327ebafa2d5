/**
 * In-process wake-ups for long polls (docs/sqs.md#long-polling): a call that commits a change a
 * long poll waits for (a message sent to its queue) notifies the poll's key, and every poll
 * waiting on that key on this node tries again at once. Other nodes' changes are found by the
 * poll's own interval.
 */
export class Wakeups {
  private readonly waiting = new Map<string, Set<() => void>>();

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

  notify(key: string): void {
    for (const wake of [...(this.waiting.get(key) ?? [])]) wake();
  }
}

/** The process's wake-ups, shared by every pipeline in it (a spurious wake-up only costs one retry). */
export const processWakeups = new Wakeups();
