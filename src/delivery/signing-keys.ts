/**
 * Digest-signing keys (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html; docs/architecture.md#delivery): one RSA-2048 key pair per region,
 * persisted (private half sealed at rest by the store), rotated after ROTATION_MS or on demand;
 * retired keys stay listed so older digests still verify. The fingerprint is the hex MD5 of the DER
 * PKCS#1 public key, which is what ListPublicKeys returns (single base64) and digests name.
 */
import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { SigningKey, Store } from '../store/types.ts';

/** A key signs for 30 days; its ValidityEndTime is shown as that scheduled rotation until it is rotated. */
export const ROTATION_MS = 30 * 24 * 3600 * 1000;

export function fingerprintOf(publicKeyDer: Buffer): string {
  return createHash('md5').update(publicKeyDer).digest('hex');
}

function newSigningKey(region: string, now: Date): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ type: 'pkcs1', format: 'der' });
  return {
    fingerprint: fingerprintOf(der),
    region,
    publicKeyDer: der,
    validFrom: now,
    privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  };
}

/** End of a key's window: when it was rotated out, or its scheduled rotation. */
export const validityEnd = (k: SigningKey) => k.validTo ?? new Date(k.validFrom.getTime() + ROTATION_MS);

/** The key that signs now in `region`: created on first use, rotated once its period is over. */
export async function currentSigningKey(store: Store, region: string, now: Date): Promise<SigningKey> {
  return store.transaction(async (tx) => {
    const current = (await tx.trails.listSigningKeys(region)).filter((k) => !k.validTo).pop();
    if (current && now.getTime() < current.validFrom.getTime() + ROTATION_MS) return current;
    return rotate(tx, region, now, current);
  });
}

/** Retires the current key of `region` (if any) and starts a new one. */
export async function rotateSigningKey(store: Store, region: string, now: Date): Promise<SigningKey> {
  return store.transaction(async (tx) => rotate(tx, region, now, (await tx.trails.listSigningKeys(region)).filter((k) => !k.validTo).pop()));
}

async function rotate(tx: Store, region: string, now: Date, current: SigningKey | undefined): Promise<SigningKey> {
  if (current) await tx.trails.retireSigningKey(current.fingerprint, now);
  const next = newSigningKey(region, now);
  await tx.trails.putSigningKey(next);
  return next;
}

/** Keys of `region` whose validity window overlaps [start, end], oldest first. */
export async function signingKeysIn(store: Store, region: string, start: Date, end: Date): Promise<SigningKey[]> {
  return (await store.trails.listSigningKeys(region)).filter(
    (k) => k.validFrom.getTime() <= end.getTime() && (!k.validTo || k.validTo.getTime() >= start.getTime()),
  );
}

const privateKeys = new Map<string, KeyObject>();
export function privateKeyOf(k: SigningKey): KeyObject {
  let key = privateKeys.get(k.fingerprint);
  if (!key) {
    key = createPrivateKey(k.privateKeyPem);
    privateKeys.set(k.fingerprint, key);
  }
  return key;
}
