/** Settings from the environment (README.md "Configuration"): defaults, and values refused at start. */
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { loadConfig } from './config.ts';

test('STARTRAIL_LAKE_QUERY_MEMORY_MB: 2048 by default, at least 256', () => {
  assert.equal(loadConfig({}, {}).lakeQueryMemoryMb, 2048);
  assert.equal(loadConfig({}, { STARTRAIL_LAKE_QUERY_MEMORY_MB: '256' }).lakeQueryMemoryMb, 256);
  assert.throws(() => loadConfig({}, { STARTRAIL_LAKE_QUERY_MEMORY_MB: '24' }), /STARTRAIL_LAKE_QUERY_MEMORY_MB must be at least 256, got 24/);
  assert.throws(() => loadConfig({}, { STARTRAIL_LAKE_QUERY_MEMORY_MB: 'lots' }), /must be a non-negative integer/);
});

test('--workers / STARTRAIL_WORKERS: 1 by default, a positive count, or auto for one per CPU; the flag beats the variable', () => {
  assert.equal(loadConfig({}, {}).workers, 1);
  assert.equal(loadConfig({}, { STARTRAIL_WORKERS: '3' }).workers, 3);
  assert.equal(loadConfig({ workers: '2' }, { STARTRAIL_WORKERS: '3' }).workers, 2);
  assert.equal(loadConfig({ workers: 'auto' }, {}).workers, availableParallelism());
  for (const bad of ['0', '-1', '1.5', 'many'])
    assert.throws(() => loadConfig({ workers: bad }, {}), new RegExp(`--workers must be a positive integer or 'auto', got '${bad}'`));
});
