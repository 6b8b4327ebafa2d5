/** What only the SQLite backend has to show (the shared contract: conformance/conformance.test.ts): secrets at rest in its files. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox } from '../secret-box.ts';
import { openSqliteStore } from './open.ts';

test('secrets are encrypted at rest: the database files never hold a secret in clear', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'startrail-sqlite-'));
  try {
    const store = await openSqliteStore(join(dir, 'db'), new SecretBox(randomBytes(32)));
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY';
    await store.identities.putAccessKey({ accessKeyId: 'AKIATEST', secretAccessKey: secret, userName: null, status: 'Active', createDate: new Date() });
    await store.identities.putSession({
      accessKeyId: 'ASIATEST',
      secretAccessKey: secret + 'S',
      sessionToken: 'TOKEN-IN-CLEAR',
      expiration: new Date(Date.now() + 1e6),
      createDate: new Date(),
      kind: 'session',
      sourceName: null,
      mfaAuthenticated: false,
    });
    assert.equal((await store.identities.getAccessKey('AKIATEST'))?.secretAccessKey, secret);
    await store.close();
    for (const f of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, f)).toString('latin1');
      assert.ok(!bytes.includes(secret), `${f} holds the secret`);
      assert.ok(!bytes.includes('TOKEN-IN-CLEAR'), `${f} holds the session token`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
