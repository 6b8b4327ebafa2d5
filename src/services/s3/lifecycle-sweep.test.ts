/**
 * The lifecycle sweep's lease (lifecycle-sweep.ts, docs/s3.md#lifecycle): two nodes over one store and
 * one object root sweep one at a time; another takes over when the holder's lease runs out or is given up.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EmbeddedObjectStore } from '../../objects/index.ts';
import { openPostgresStore } from '../../store/postgres/open.ts';
import { SecretBox } from '../../store/secret-box.ts';
import { BACKENDS, openTestStore, TEST_DATABASE_URL, testSchema } from '../../store/testing.ts';
import type { Store } from '../../store/types.ts';
import { checkLifecycle } from './lifecycle.ts';
import { releaseSweepLease, startLifecycleSweep, sweepIfLeased } from './lifecycle-sweep.ts';

const T0 = new Date('2026-11-24T10:00:00.000Z');
const DAY = 86_400_000;
const LEASE = 60_000;

/** Two nodes' views of one store: on PostgreSQL two connections to one schema, on SQLite one in-memory store. */
async function twoNodes(backend: (typeof BACKENDS)[number]): Promise<{ a: Store; b: Store; close(): Promise<void> }> {
  if (backend === 'sqlite') {
    const s = await openTestStore('sqlite');
    return { a: s, b: s, close: () => s.close() };
  }
  const schema = testSchema('lcsweep');
  const box = new SecretBox(randomBytes(32));
  const a = await openTestStore('postgres', { schema, box });
  const b = await openPostgresStore(TEST_DATABASE_URL, box, { schema, maxConnections: 2 });
  return {
    a,
    b,
    close: async () => {
      await b.close();
      await a.close();
    },
  };
}

for (const backend of BACKENDS) {
  test(`${backend}: the sweep runs on one node at a time; another takes over when the lease runs out or is given up`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lifecycle-lease-'));
    const nodes = await twoNodes(backend);
    try {
      // two nodes: each its own object store over the one root, its own view of the one database
      const objA = await EmbeddedObjectStore.open(dir);
      const objB = await EmbeddedObjectStore.open(dir);
      await objA.createBucket('lc-lease', 'us-east-1', T0);
      const rules = checkLifecycle({ Rules: [{ ID: 'all', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 1 } }] }, () => 'id');
      await objA.putBucketConfig('lc-lease', 'lifecycle', JSON.stringify(rules));
      let now = new Date(T0.getTime() + 3 * DAY);
      const clock = () => now;
      const put = async (key: string) => objA.putObject('lc-lease', key, { body: Buffer.from(key) }, T0);
      const nodeA = { objects: objA, lease: { kv: nodes.a.kv, owner: 'node-a' } };
      const nodeB = { objects: objB, lease: { kv: nodes.b.kv, owner: 'node-b' } };
      const round = (n: typeof nodeA) => sweepIfLeased(n.objects, n.lease, clock, LEASE);

      // both nodes' rounds at once: exactly one sweeps (either may win); call the winner A below
      await put('k1');
      const first = await Promise.all([round(nodeA), round(nodeB)]);
      assert.deepEqual(first.map((r) => r?.expired).sort(), [1, undefined]);
      const [holder, other] = first[0] ? [nodeA, nodeB] : [nodeB, nodeA];
      const a = holder.lease;
      const b = other.lease;
      const [objH, objO] = [holder.objects, other.objects];

      // while A's lease runs, B's rounds do nothing (the object it would expire stays) and A's renew it
      await put('k2');
      now = new Date(now.getTime() + LEASE / 2);
      assert.equal(await sweepIfLeased(objO, b, clock, LEASE), undefined);
      assert.equal((await objA.listObjects('lc-lease', { maxKeys: 10 })).objects.length, 1);
      assert.equal((await sweepIfLeased(objH, a, clock, LEASE))?.expired, 1);
      now = new Date(now.getTime() + LEASE - 1_000); // past A's first lease, inside its renewal
      await put('k3');
      assert.equal(await sweepIfLeased(objO, b, clock, LEASE), undefined);

      // A dies: once its lease runs out B takes over, and A (back) finds it held
      now = new Date(now.getTime() + LEASE + 1_000);
      assert.equal((await sweepIfLeased(objO, b, clock, LEASE))?.expired, 1);
      assert.equal(await sweepIfLeased(objH, a, clock, LEASE), undefined);

      // B stops and gives the lease up: A's next round sweeps at once
      await releaseSweepLease(b.kv, b.owner);
      await put('k4');
      assert.equal((await sweepIfLeased(objH, a, clock, LEASE))?.expired, 1);
      assert.equal(await sweepIfLeased(objO, b, clock, LEASE), undefined);

      // the timers as main.ts starts them: B's, started while A holds the lease, sweeps nothing; A's close gives it up
      await put('k5');
      const timerB = startLifecycleSweep(objO, { clock, intervalMs: 3_600_000, lease: { ...b, leaseMs: LEASE } });
      await new Promise((ok) => setTimeout(ok, 200));
      assert.equal((await objA.listObjects('lc-lease', { maxKeys: 10 })).objects.length, 1);
      await timerB.close();
    } finally {
      await nodes.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
