/**
 * TEST FIXTURE (unit tests, e2e, bench — not product code): generates a signed CloudTrail digest
 * chain the way CloudTrail writes one: key layout (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html),
 * digest JSON, metadata and string to sign (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html).
 * Digest i covers hour i after `start`; its log files are delivered inside that hour.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { formatDate, formatDisplayDate, formatYmd, addHours, addMinutes } from '../dates.ts';
import { digestKey, type DigestScope } from '../digest-keys.ts';
import { MemoryObjects } from '../objects.ts';
import type { PublicKey } from '../public-keys.ts';

export interface FixtureObject {
  bucket: string;
  key: string;
  body: Buffer;
  metadata: Record<string, string>;
}

export interface ChainSpec {
  start: Date;
  digests: number;
  logsPerDigest: number;
  recordsPerLog?: number;
  accountId?: string;
  region?: string;
  trailName?: string;
  bucket?: string;
  prefix?: string;
  /** indices (0 = oldest) of digests written as starting digests (no previous link) */
  starting?: number[];
  /** write these digests as backfill digests (their own chain, `_backfill` keys) */
  backfill?: boolean;
  /** backfill-generation-timestamp metadata (default: end of the chain + 1 h) */
  generatedAt?: Date;
  keyPair?: SigningKey;
}

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: PublicKey;
}

export interface Chain {
  trailArn: string;
  bucket: string;
  scope: DigestScope;
  /** digest keys, oldest first */
  digestKeys: string[];
  /** log keys per digest, oldest digest first */
  logKeys: string[][];
  objects: FixtureObject[];
  key: SigningKey;
  start: Date;
  end: Date;
}

export function newSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ type: 'pkcs1', format: 'der' });
  return { privateKey, publicKey: { fingerprint: createHash('md5').update(der).digest('hex'), value: der } };
}

/** Signs a digest body as CloudTrail does; returns the object with its S3 metadata. */
export function signedDigest(
  bucket: string,
  key: string,
  json: Record<string, unknown>,
  privateKey: KeyObject,
  extra: Record<string, string> = {},
): FixtureObject {
  const raw = Buffer.from(JSON.stringify(json));
  const prev = json['previousDigestSignature'] ?? 'null';
  const toSign = `${String(json['digestEndTime'])}\n${bucket}/${key}\n${createHash('sha256').update(raw).digest('hex')}\n${String(prev)}`;
  const signature = sign('sha256', Buffer.from(toSign), privateKey).toString('hex');
  return { bucket, key, body: gzipSync(raw), metadata: { signature, 'signature-algorithm': 'SHA256withRSA', ...extra } };
}

export function generateChain(spec: ChainSpec): Chain {
  const accountId = spec.accountId ?? '123456789012';
  const region = spec.region ?? 'us-east-1';
  const trailName = spec.trailName ?? 'my-trail';
  const bucket = spec.bucket ?? 'trail-bucket';
  const key = spec.keyPair ?? newSigningKey();
  const scope: DigestScope = { accountId, trailName, homeRegion: region, sourceRegion: region, ...(spec.prefix ? { prefix: spec.prefix } : {}) };
  const logBase = `${spec.prefix ? `${spec.prefix}/` : ''}AWSLogs/${accountId}/CloudTrail/${region}`;
  const chain: Chain = {
    trailArn: `arn:aws:cloudtrail:${region}:${accountId}:trail/${trailName}`,
    bucket,
    scope,
    digestKeys: [],
    logKeys: [],
    objects: [],
    key,
    start: spec.start,
    end: addHours(spec.start, spec.digests),
  };
  const generatedAt = formatDisplayDate(spec.generatedAt ?? addHours(chain.end, 1));
  let previous: FixtureObject | undefined;
  for (let i = 0; i < spec.digests; i++) {
    const from = addHours(spec.start, i);
    const to = addHours(from, 1);
    const logFiles = [];
    const keys: string[] = [];
    for (let j = 0; j < spec.logsPerDigest; j++) {
      const at = addMinutes(from, Math.floor(((j + 1) * 59) / (spec.logsPerDigest + 1)));
      const unique = createHash('sha256').update(`${trailName}/${i}/${j}`).digest('base64url').replace(/[-_]/g, 'x').slice(0, 16);
      const logKey = `${logBase}/${formatYmd(at)}/${accountId}_CloudTrail_${region}_${formatDate(at).slice(0, 13)}Z_${unique}.json.gz`;
      const raw = Buffer.from(JSON.stringify({ Records: records(spec.recordsPerLog ?? 3, at, accountId, region, `${i}-${j}`) }));
      chain.objects.push({ bucket, key: logKey, body: gzipSync(raw), metadata: {} });
      keys.push(logKey);
      logFiles.push({
        s3Bucket: bucket,
        s3Object: logKey,
        hashValue: createHash('sha256').update(raw).digest('hex'),
        hashAlgorithm: 'SHA-256',
        newestEventTime: formatDisplayDate(at),
        oldestEventTime: formatDisplayDate(at),
      });
    }
    const dKey = digestKey(scope, to, spec.backfill);
    const linked = previous && !(spec.starting ?? []).includes(i) ? previous : undefined;
    const json = {
      awsAccountId: accountId,
      digestStartTime: formatDisplayDate(from),
      digestEndTime: formatDisplayDate(to),
      digestS3Bucket: bucket,
      digestS3Object: dKey,
      digestPublicKeyFingerprint: key.publicKey.fingerprint,
      digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: logFiles.length ? formatDisplayDate(addMinutes(to, -1)) : null,
      oldestEventTime: logFiles.length ? formatDisplayDate(from) : null,
      previousDigestS3Bucket: linked ? bucket : null,
      previousDigestS3Object: linked ? linked.key : null,
      previousDigestHashValue: linked ? createHash('sha256').update(gunzipSync(linked.body)).digest('hex') : null,
      previousDigestHashAlgorithm: linked ? 'SHA-256' : null,
      previousDigestSignature: linked ? linked.metadata['signature'] : null,
      logFiles,
    };
    previous = signedDigest(bucket, dKey, json, key.privateKey, spec.backfill ? { 'backfill-generation-timestamp': generatedAt } : {});
    chain.objects.push(previous);
    chain.digestKeys.push(dKey);
    chain.logKeys.push(keys);
  }
  return chain;
}

export function toMemory(...chains: Chain[]): MemoryObjects {
  const m = new MemoryObjects();
  for (const c of chains) for (const o of c.objects) m.put(o.bucket, o.key, o.body, o.metadata);
  return m;
}

function records(n: number, at: Date, accountId: string, region: string, seed: string): object[] {
  return Array.from({ length: n }, (_, k) => ({
    eventVersion: '1.11',
    eventTime: formatDisplayDate(at),
    eventSource: 'codestar.amazonaws.com',
    eventName: k % 2 ? 'ListProjects' : 'DescribeProject',
    awsRegion: region,
    sourceIPAddress: '127.0.0.1',
    userAgent: 'aws-cli/2.9.19',
    eventID: `${seed}-${k}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: `arn:aws:iam::${accountId}:user/alice`, accountId, userName: 'alice' },
    requestParameters: { id: `project-${k}` },
    responseElements: null,
    requestID: `req-${seed}-${k}`,
    managementEvent: true,
    recipientAccountId: accountId,
    eventCategory: 'Management',
  }));
}
