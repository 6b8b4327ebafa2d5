/**
 * Trail names and ARNs (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html "Common rules"): a name is 3–128 of
 * `a-z A-Z 0-9 . _ -`, starts and ends with a letter or digit, has no two adjacent `.` `_` `-`, and is
 * not shaped like an IP address (InvalidTrailNameException, moto's messages). Wherever a name is
 * accepted an ARN `arn:aws:cloudtrail:<region>:<account>:trail/<name>` is too; a malformed one is
 * CloudTrailARNInvalidException.
 */
import { invalidTrailName, trailArnInvalid } from './errors.ts';

export function checkTrailName(name: string): void {
  if (name.length < 3) throw invalidTrailName(`Trail name too short. Minimum allowed length: 3 characters. Specified name length: ${name.length} characters.`);
  if (name.length > 128)
    throw invalidTrailName(`Trail name too long. Maximum allowed length: 128 characters. Specified name length: ${name.length} characters.`);
  if (!/^[0-9a-zA-Z]/.test(name)) throw invalidTrailName('Trail name must starts with a letter or number.');
  if (!/[0-9a-zA-Z]$/.test(name)) throw invalidTrailName('Trail name must ends with a letter or number.');
  if (!/^[.\-_0-9a-zA-Z]+$/.test(name)) {
    throw invalidTrailName('Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).');
  }
  if (/[._-]{2}/.test(name)) throw invalidTrailName('Trail name cannot have adjacent periods (.), hyphens (-), or underscores (_).');
  if (/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)) throw invalidTrailName('Trail name cannot be formatted as an IP address.');
}

export interface TrailRef {
  name: string;
  /** set when the caller gave an ARN */
  arn?: string;
  region?: string;
  account?: string;
}

const TRAIL_ARN = /^arn:aws[a-z-]*:cloudtrail:([a-z0-9-]+):(\d{12}):trail\/(.+)$/;

export const isArn = (s: string) => s.startsWith('arn:');

/** A name or a trail ARN, checked. */
export function parseTrailRef(value: string): TrailRef {
  if (!isArn(value)) {
    checkTrailName(value);
    return { name: value };
  }
  const m = TRAIL_ARN.exec(value);
  if (!m) throw trailArnInvalid(value);
  const [, region, account, name] = m as unknown as [string, string, string, string];
  checkTrailName(name);
  return { name, arn: value, region, account };
}

export const trailArn = (region: string, account: string, name: string) => `arn:aws:cloudtrail:${region}:${account}:trail/${name}`;

/** A CloudTrail resource ARN's type (`trail`, `eventdatastore`, `channel`, …), or undefined when it is no CloudTrail ARN. */
export function cloudTrailResourceType(value: string): string | undefined {
  return /^arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:\d{12}:([A-Za-z]+)\/.+$/.exec(value)?.[1];
}
