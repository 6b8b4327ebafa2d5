/**
 * Public keys and the trail lookup, from CloudTrail (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-custom-validation.html;
 * CLI `PublicKeyProvider`, `utils.get_trail_by_arn`): `ListPublicKeys` over a window, kept in a map
 * by `Fingerprint` (a later entry with the same fingerprint wins, as in the CLI's dict).
 */
import { formatDisplayDate } from './dates.ts';
import { FatalError } from './errors.ts';

export interface PublicKey {
  fingerprint: string;
  /** DER PKCS#1 RSAPublicKey (the wire's single base64, decoded) */
  value: Uint8Array;
}

export interface TrailInfo {
  TrailARN?: string;
  S3BucketName?: string;
  S3KeyPrefix?: string;
  IsOrganizationTrail?: boolean;
}

/** The two CloudTrail calls the validator makes (the CLI sends them to `--endpoint-url`). */
export interface CloudTrailReader {
  describeTrails(): Promise<TrailInfo[]>;
  listPublicKeys(start: Date, end: Date): Promise<PublicKey[]>;
}

export type PublicKeys = Map<string, PublicKey>;

export async function loadPublicKeys(ct: CloudTrailReader, start: Date, end: Date): Promise<PublicKeys> {
  const list = await ct.listPublicKeys(start, end);
  const keys: PublicKeys = new Map();
  for (const k of list) keys.set(k.fingerprint, k);
  if (keys.size === 0) throw new FatalError(`No public keys found between ${formatDisplayDate(start)} and ${formatDisplayDate(end)}`);
  return keys;
}

export async function findTrail(ct: CloudTrailReader, trailArn: string): Promise<TrailInfo> {
  const trail = (await ct.describeTrails()).find((t) => t.TrailARN === trailArn);
  if (!trail) throw new FatalError(`A trail could not be found for ${trailArn}`);
  return trail;
}
