/** The housekeeping timer (periodic.ts): runs now and then every interval, never two runs at once, a failure logged and the next tick tried. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startPeriodic } from './periodic.ts';

test('runs at once and again each interval; a slow run is never overlapped; a failure is logged and the next run still comes', async () => {
  let running = 0;
  let maxRunning = 0;
  let runs = 0;
  const logs: [string, Record<string, unknown> | undefined][] = [];
  const timer = startPeriodic(
    async () => {
      runs++;
      running++;
      maxRunning = Math.max(maxRunning, running);
      await sleep(30); // longer than the interval: ticks meanwhile are skipped
      running--;
      if (runs === 1) throw new Error('first run fails');
    },
    { intervalMs: 5, failure: 'task failed', log: (msg, f) => logs.push([msg, f]) },
  );
  assert.equal(runs, 1, 'the first run starts at once');
  // wait for the second run however loaded the machine is, then a little longer for overlaps to show
  for (let i = 0; i < 500 && runs < 2; i++) await sleep(10);
  await sleep(50);
  timer.stop();
  const after = runs;
  await sleep(60);
  assert.ok(after >= 2, `runs went on after the failure (${after})`);
  assert.equal(maxRunning, 1);
  assert.deepEqual(logs[0], ['task failed', { error: 'first run fails' }]);
  assert.ok(runs <= after + 1, 'no run starts after stop (one in flight may finish)');
});
