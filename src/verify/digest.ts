/**
 * Loads one digest file and checks it (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-custom-validation.html and "Data to sign"; CLI
 * `fetch_digest`, `_load_and_validate_digest`, `Sha256RSADigestValidator`), in the CLI's order:
 * gunzip + JSON → metadata `signature`/`signature-algorithm` (+ `backfill-generation-timestamp`) →
 * required members → not moved → key by fingerprint → RSA PKCS#1 v1.5 / SHA-256 over
 * `endTime\nbucket/key\nsha256hex(uncompressed)\nprevSignature|null`. Messages are the CLI's.
 */
import { createHash, createPublicKey, verify, constants, type KeyObject } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { addHours, parseDate, pyStr } from './dates.ts';
import { DigestError, invalidFormat, signatureFailed } from './errors.ts';
import type { StoredObject } from './objects.ts';
import type { PublicKey, PublicKeys } from './public-keys.ts';

export interface Digest {
  bucket: string;
  key: string;
  data: Record<string, unknown>;
  startTime: Date;
  endTime: Date;
}

const REQUIRED = ['digestPublicKeyFingerprint', 'digestS3Bucket', 'digestS3Object', 'previousDigestSignature', 'digestEndTime', 'digestStartTime'];
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export interface DigestContext {
  homeRegion: string;
  publicKeys: PublicKeys;
  /** backfill only: keys for generation time ± 1 h, merged into `publicKeys` when the fingerprint is unknown */
  loadKeys?: (start: Date, end: Date) => Promise<PublicKeys>;
}

/** Checks a fetched digest object; throws `DigestError` (or another error, reported as `INVALID: <message>`). */
export async function checkDigest(obj: StoredObject, bucket: string, key: string, backfill: boolean, ctx: DigestContext): Promise<Digest> {
  let raw: Buffer;
  let data: unknown;
  try {
    raw = gunzipSync(obj.body);
    data = JSON.parse(utf8.decode(raw));
  } catch {
    throw invalidFormat(bucket, key);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw invalidFormat(bucket, key);
  const d = data as Record<string, unknown>;
  const signature = obj.metadata['signature'];
  if (signature === undefined || obj.metadata['signature-algorithm'] === undefined) throw signatureFailed(bucket, key);
  const generated = obj.metadata['backfill-generation-timestamp'];
  if (backfill && generated === undefined) throw invalidFormat(bucket, key);
  for (const k of REQUIRED) if (!(k in d)) throw invalidFormat(bucket, key);
  if (d['digestS3Bucket'] !== bucket || d['digestS3Object'] !== key) {
    throw new DigestError(`Digest file\ts3://${bucket}/${key}\tINVALID: has been moved from its original location`);
  }
  const fingerprint = pyStr(d['digestPublicKeyFingerprint']);
  if (!ctx.publicKeys.has(fingerprint) && backfill && ctx.loadKeys) {
    const at = parseDate(generated);
    for (const [f, k] of await ctx.loadKeys(addHours(at, -1), addHours(at, 1))) ctx.publicKeys.set(f, k);
  }
  const publicKey = ctx.publicKeys.get(fingerprint);
  if (!publicKey) {
    throw new DigestError(`Digest file\ts3://${bucket}/${key}\tINVALID: public key not found in region ${ctx.homeRegion} for fingerprint ${fingerprint}`);
  }
  const keyObject = loadKey(publicKey);
  if (!keyObject) throw new DigestError(`Digest file\ts3://${bucket}/${key}\tINVALID: Unable to load PKCS #1 key with fingerprint ${fingerprint}`);
  const toSign = stringToSign(d, raw);
  if (signature.length % 2) throw new Error('Odd-length string');
  if (!/^[0-9a-fA-F]*$/.test(signature)) throw new Error('Non-hexadecimal digit found');
  const ok = verify('sha256', toSign, { key: keyObject, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(signature, 'hex'));
  if (!ok) throw signatureFailed(bucket, key);
  return { bucket, key, data: d, endTime: parseDate(d['digestEndTime']), startTime: parseDate(d['digestStartTime']) };
}

/** The four signed lines, no trailing newline; a null previous signature is the text `null`. */
function stringToSign(d: Record<string, unknown>, uncompressed: Buffer): Buffer {
  const prev = d['previousDigestSignature'] === null ? 'null' : pyStr(d['previousDigestSignature']);
  const hash = createHash('sha256').update(uncompressed).digest('hex');
  return Buffer.from(`${pyStr(d['digestEndTime'])}\n${pyStr(d['digestS3Bucket'])}/${pyStr(d['digestS3Object'])}\n${hash}\n${prev}`, 'utf8');
}

const loaded = new WeakMap<PublicKey, KeyObject | null>();

function loadKey(k: PublicKey): KeyObject | null {
  if (!loaded.has(k)) {
    let key: KeyObject | null;
    try {
      key = createPublicKey({ key: Buffer.from(k.value), format: 'der', type: 'pkcs1' });
    } catch {
      key = null;
    }
    loaded.set(k, key);
  }
  return loaded.get(k) ?? null;
}
