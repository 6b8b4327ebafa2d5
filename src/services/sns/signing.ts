/**
 * How startrail signs SNS messages, as SNS does
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html): one RSA-2048 key
 * with a self-signed X.509 certificate served at `${publicUrl}/SimpleNotificationService-<id>.pem`
 * (the message's `SigningCertURL`), made on first use and kept in the store with its private half
 * sealed (so every node on one database signs with the same key). SignatureVersion 1 is
 * SHA1withRSA, 2 is SHA256withRSA, over the string to sign of the message's type. docs/sns.md#signing.
 */
import { createHash, createPrivateKey, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import type { SnsSigningKey, Store } from '../../store/types.ts';

/** Ten years: the certificate outlives any message signed with it. */
const CERT_YEARS = 10;

function newKey(now: Date): SnsSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `01${createHash('sha256').update(privateKeyPem).digest('hex').slice(0, 30)}`;
  cert.validity.notBefore = new Date(now.getTime() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(now.getTime() + CERT_YEARS * 365 * 24 * 3600 * 1000);
  const name = [
    { name: 'commonName', value: 'sns.amazonaws.com' },
    { name: 'organizationName', value: 'startrail' },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.sign(forge.pki.privateKeyFromPem(privateKeyPem), forge.md.sha256.create());
  const certificatePem = forge.pki.certificateToPem(cert);
  const id = createHash('md5').update(certificatePem).digest('hex');
  return { id, privateKeyPem, certificatePem, createdAt: now };
}

let cached: { key: SnsSigningKey; privateKey: KeyObject } | undefined;

/** The signing key in force: read from the store, made (and stored) on first use. */
export async function signingKey(store: Store, now: Date): Promise<{ key: SnsSigningKey; privateKey: KeyObject }> {
  const stored = await store.topics.getSigningKey();
  if (cached && stored && cached.key.id === stored.id) return cached;
  const key = stored ?? (await store.topics.putSigningKey(newKey(now)));
  cached = { key, privateKey: createPrivateKey(key.privateKeyPem) };
  return cached;
}

export const certificatePath = (id: string) => `/SimpleNotificationService-${id}.pem`;
export const CERTIFICATE_PATH = /^\/SimpleNotificationService-([0-9a-f]{32})\.pem$/;

/** The keys each message type signs, in order (the verification page's lists). */
const SIGNED_KEYS: Record<string, string[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

/** "Key\nvalue\n" for each signed key the message has, in order. */
export function stringToSign(message: Record<string, string>): string {
  const keys = SIGNED_KEYS[message.Type ?? ''] ?? SIGNED_KEYS.Notification!;
  return keys
    .filter((k) => message[k] !== undefined)
    .map((k) => `${k}\n${message[k]}\n`)
    .join('');
}

/** Base64 signature of the message's string to sign: version 1 SHA1withRSA, 2 SHA256withRSA. */
export function sign(message: Record<string, string>, version: '1' | '2', privateKey: KeyObject): string {
  return createSign(version === '2' ? 'RSA-SHA256' : 'RSA-SHA1')
    .update(stringToSign(message), 'utf8')
    .sign(privateKey, 'base64');
}
