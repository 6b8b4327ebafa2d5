/**
 * The master key and the database agree (store/open.ts): a node whose key did not seal the
 * database's secrets refuses to start with a message saying what to do, on SQLite and on a
 * PostgreSQL schema shared by nodes; STARTRAIL_MASTER_KEY serves instead of the key file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.ts';
import { openStore } from './open.ts';
import { dropSchema } from './postgres/open.ts';
import { TEST_DATABASE_URL as PG_URL, testSchema } from './testing.ts';

const KEY_MISMATCH = /the master key is not the one this database's secrets are sealed with: give every node the same key/;

test("SQLite: the data dir's own key opens it again; another key is refused; STARTRAIL_MASTER_KEY is the same key", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'open-key-'));
  try {
    const first = await openStore(loadConfig({ dataDir: dir }, {}));
    await first.identities.putAccessKey({
      accessKeyId: 'AKIAKEYCHECK00000001',
      secretAccessKey: 'secret-1',
      userName: null,
      status: 'Active',
      createDate: new Date(),
    });
    await first.close();
    const fileKey = readFileSync(join(dir, 'master.key'), 'utf8').trim();

    const again = await openStore(loadConfig({ dataDir: dir }, {}));
    assert.equal((await again.identities.getAccessKey('AKIAKEYCHECK00000001'))?.secretAccessKey, 'secret-1');
    await again.close();

    const viaEnv = await openStore(loadConfig({ dataDir: dir }, { STARTRAIL_MASTER_KEY: fileKey }));
    assert.equal((await viaEnv.identities.getAccessKey('AKIAKEYCHECK00000001'))?.secretAccessKey, 'secret-1');
    await viaEnv.close();

    await assert.rejects(openStore(loadConfig({ dataDir: dir }, { STARTRAIL_MASTER_KEY: randomBytes(32).toString('base64') })), (e: Error) => {
      assert.match(e.message, KEY_MISMATCH);
      assert.match(e.message, /this node's key: STARTRAIL_MASTER_KEY/);
      return true;
    });
    await assert.rejects(
      openStore(loadConfig({ dataDir: dir }, { STARTRAIL_MASTER_KEY: randomBytes(16).toString('base64') })),
      /STARTRAIL_MASTER_KEY must be 32 bytes/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("PostgreSQL: a second node with its own data dir (and so its own new key) is refused; with the first node's key it starts", async () => {
  const schema = testSchema('keycheck');
  const [a, b] = [mkdtempSync(join(tmpdir(), 'node-a-')), mkdtempSync(join(tmpdir(), 'node-b-'))];
  const env = { STARTRAIL_DATABASE_SCHEMA: schema };
  try {
    const nodeA = await openStore(loadConfig({ dataDir: a, databaseUrl: PG_URL }, env));
    await assert.rejects(openStore(loadConfig({ dataDir: b, databaseUrl: PG_URL }, env)), (e: Error) => {
      assert.match(e.message, KEY_MISMATCH);
      assert.ok(e.message.includes(join(b, 'master.key')), e.message);
      return true;
    });
    const keyA = readFileSync(join(a, 'master.key'), 'utf8').trim();
    const nodeB = await openStore(loadConfig({ dataDir: b, databaseUrl: PG_URL }, { ...env, STARTRAIL_MASTER_KEY: keyA }));
    await nodeA.kv.put('written-by', 'a');
    assert.equal(await nodeB.kv.get('written-by'), 'a');
    await nodeB.close();
    await nodeA.close();
  } finally {
    await dropSchema(PG_URL, schema);
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});
