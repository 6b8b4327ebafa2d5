/** Settings from the environment (README.md "Configuration"): defaults, and values refused at start. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from './config.ts';

test('STARTRAIL_LAKE_QUERY_MEMORY_MB: 2048 by default, at least 256', () => {
  assert.equal(loadConfig({}, {}).lakeQueryMemoryMb, 2048);
  assert.equal(loadConfig({}, { STARTRAIL_LAKE_QUERY_MEMORY_MB: '256' }).lakeQueryMemoryMb, 256);
  assert.throws(() => loadConfig({}, { STARTRAIL_LAKE_QUERY_MEMORY_MB: '24' }), /STARTRAIL_LAKE_QUERY_MEMORY_MB must be at least 256, got 24/);
  assert.throws(() => loadConfig({}, { STARTRAIL_LAKE_QUERY_MEMORY_MB: 'lots' }), /must be a non-negative integer/);
});
