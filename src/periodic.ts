/**
 * The background housekeeping timer: run a task now, then every interval, never two runs at once (a
 * slow run skips the ticks it overlaps), a failure logged and the next tick tried; the timer does not
 * keep the process alive, and `stop()` ends it. Event history retention, log group retention and S3
 * lifecycle rules use it.
 */

export interface PeriodicTimer {
  stop(): void;
}

export type PeriodicLog = (msg: string, fields?: Record<string, unknown>) => void;

export function startPeriodic(task: () => Promise<void>, opts: { intervalMs: number; failure: string; log?: PeriodicLog }): PeriodicTimer {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await task();
    } catch (e) {
      opts.log?.(opts.failure, { error: e instanceof Error ? e.message : String(e) });
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), opts.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
