/** Digest-signing keys: per region, persisted sealed, rotated, listed by validity window (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox } from '../store/secret-box.ts';
import { openSqliteStore } from '../store/sqlite/open.ts';
import { currentSigningKey, fingerprintOf, ROTATION_MS, rotateSigningKey, signingKeysIn, validityEnd } from './signing-keys.ts';
import { at, memoryStore } from './testing.ts';

test('one key per region, reused until rotated; the fingerprint is the hex MD5 of the DER PKCS#1 public key', async () => {
  const store = await memoryStore();
  const t = at('2026-01-01T00:00:00Z');
  const a = await currentSigningKey(store, 'us-east-1', t);
  assert.equal((await currentSigningKey(store, 'us-east-1', new Date(t.getTime() + 1000))).fingerprint, a.fingerprint);
  assert.notEqual((await currentSigningKey(store, 'eu-west-1', t)).fingerprint, a.fingerprint);
  assert.match(a.fingerprint, /^[0-9a-f]{32}$/);
  assert.equal(fingerprintOf(a.publicKeyDer), a.fingerprint);
  assert.equal(a.publicKeyDer[0], 0x30, 'DER SEQUENCE (RSAPublicKey)');
  await store.close();
});

test('rotation: the old key is retired but still listed for its window; the new one takes over; old keys expire by age', async () => {
  const store = await memoryStore();
  const t = at('2026-01-01T00:00:00Z');
  const old = await currentSigningKey(store, 'us-east-1', t);
  const later = new Date(t.getTime() + 3600_000);
  const next = await rotateSigningKey(store, 'us-east-1', later);
  assert.equal((await currentSigningKey(store, 'us-east-1', later)).fingerprint, next.fingerprint);
  const fps = async (s: Date, e: Date) => (await signingKeysIn(store, 'us-east-1', s, e)).map((k) => k.fingerprint);
  assert.deepEqual(await fps(t, t), [old.fingerprint]);
  assert.deepEqual(await fps(t, later), [old.fingerprint, next.fingerprint]);
  assert.deepEqual(await fps(new Date(later.getTime() + 1), new Date(later.getTime() + 2)), [next.fingerprint]);
  const retired = (await store.trails.listSigningKeys('us-east-1'))[0]!;
  assert.equal(validityEnd(retired).toISOString(), later.toISOString());
  assert.equal(validityEnd(next).getTime(), later.getTime() + ROTATION_MS);
  const aged = await currentSigningKey(store, 'us-east-1', new Date(later.getTime() + ROTATION_MS));
  assert.notEqual(aged.fingerprint, next.fingerprint);
  await store.close();
});

test('private keys are sealed at rest: the database never holds one in clear', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'startrail-keys-'));
  try {
    const store = await openSqliteStore(join(dir, 'db'), new SecretBox(randomBytes(32)));
    const k = await currentSigningKey(store, 'us-east-1', new Date());
    const body = k.privateKeyPem.split('\n')[1]!;
    await store.close();
    for (const f of readdirSync(dir)) assert.ok(!readFileSync(join(dir, f)).toString('latin1').includes(body), `${f} holds the private key`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
