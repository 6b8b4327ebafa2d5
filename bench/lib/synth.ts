// Role: synthesises CloudTrail records from the shapes of the real reference records (src/reference-data.ts), varying account, region, user, key, event and time (90 days), deterministically.
import { existsSync, readFileSync } from 'node:fs';
import { RECORDS_FILE } from '../../src/reference-data.ts';
import { prng } from '../../src/prng.ts';

type Obj = Record<string, any>;
const DAY = 86_400_000;

const DEFAULT_CORPUS = process.env.STARTRAIL_BENCH_CORPUS ?? RECORDS_FILE;

/** Used when the reference records are not next to the checkout: three common shapes, so the harness still runs. */
const FALLBACK: Obj[] = [
  {
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLE',
      arn: 'arn:aws:iam::111122223333:user/alice',
      accountId: '111122223333',
      accessKeyId: 'AKIAEXAMPLE',
      userName: 'alice',
    },
    eventTime: '2024-01-01T00:00:00Z',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.10',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: { maxResults: 100 },
    responseElements: null,
    requestID: 'r',
    eventID: 'e',
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
  },
  {
    eventVersion: '1.08',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLE:bob',
      arn: 'arn:aws:sts::111122223333:assumed-role/Admin/bob',
      accountId: '111122223333',
      accessKeyId: 'ASIAEXAMPLE',
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: 'arn:aws:iam::111122223333:role/Admin', accountId: '111122223333', userName: 'Admin' },
        attributes: { creationDate: '2024-01-01T00:00:00Z', mfaAuthenticated: 'false' },
      },
    },
    eventTime: '2024-01-01T00:00:00Z',
    eventSource: 'kms.amazonaws.com',
    eventName: 'Decrypt',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.11',
    userAgent: 'aws-sdk-go-v2',
    requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' },
    responseElements: null,
    requestID: 'r',
    eventID: 'e',
    readOnly: true,
    resources: [{ accountId: '111122223333', type: 'AWS::KMS::Key', ARN: 'arn:aws:kms:us-east-1:111122223333:key/k' }],
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
  },
  {
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLE',
      arn: 'arn:aws:iam::111122223333:user/alice',
      accountId: '111122223333',
      accessKeyId: 'AKIAEXAMPLE',
      userName: 'alice',
    },
    eventTime: '2024-01-01T00:00:00Z',
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateRole',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.10',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: { roleName: 'r' },
    responseElements: { role: { roleName: 'r' } },
    requestID: 'r',
    eventID: 'e',
    readOnly: false,
    resources: [{ accountId: '111122223333', type: 'AWS::IAM::Role', ARN: 'arn:aws:iam::111122223333:role/r' }],
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
  },
];

export function loadTemplates(file = DEFAULT_CORPUS): { templates: Obj[]; source: string } {
  if (!existsSync(file)) return { templates: FALLBACK, source: 'built-in fallback (corpus not found)' };
  const templates = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Obj)
    .filter((r) => r && typeof r === 'object' && typeof r.eventTime === 'string' && r.eventType !== 'AwsCloudTrailInsight');
  return { templates, source: file };
}

const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'eu-west-2',
  'eu-central-1',
  'eu-north-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'ap-south-1',
  'ca-central-1',
  'sa-east-1',
  'me-south-1',
  'af-south-1',
];
const ACCOUNTS = Array.from({ length: 40 }, (_, i) => String(100000000000 + i * 7919).padStart(12, '0'));
const USERS = 5000;
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');

export interface SynthOptions {
  count: number;
  seed?: number;
  days?: number /** newest eventTime, ms; default: now */;
  end?: number;
  templates: Obj[];
}

/**
 * Record i of N: a reference record's shape with its account, region, caller, access key, resources, ids and
 * time replaced. Times increase with i over `days` days (arrival order, as history fills), with
 * jitter; users, keys and resources are skewed (a few are very common, most rare), like real traffic.
 */
export class Synth {
  readonly start: number;
  readonly end: number;
  private readonly rnd: () => number;
  constructor(private readonly o: SynthOptions) {
    this.end = o.end ?? Date.now();
    this.start = this.end - (o.days ?? 90) * DAY;
    this.rnd = prng(o.seed ?? 42);
  }

  private skewed(n: number): number {
    return Math.floor(n * this.rnd() ** 3);
  }

  /** The record object for position i (call in increasing i for increasing times). */
  record(i: number): Obj {
    const r = this.rnd;
    const t = this.o.templates[Math.floor(r() * this.o.templates.length)]!;
    const span = this.end - this.start;
    const time = Math.min(this.end, this.start + Math.floor(((i + r()) * span) / this.o.count));
    const account = ACCOUNTS[this.skewed(ACCOUNTS.length)]!;
    const region = REGIONS[this.skewed(REGIONS.length)]!;
    const u = this.skewed(USERS);
    const user = `user${pad(u, 4)}`;
    const key = `AKIA${pad(u, 8)}${hex(this.skewed(4) + 0xa0, 2).toUpperCase()}EXAMPLE`.slice(0, 20);
    const out: Obj = {
      ...t,
      eventTime: new Date(time).toISOString().slice(0, 19) + 'Z',
      awsRegion: region,
      recipientAccountId: account,
      eventID: uuid(i, 0x4e),
      requestID: uuid(i, 0x5a),
    };
    const id = t.userIdentity;
    if (id && typeof id === 'object') {
      const v: Obj = { ...id, accountId: account };
      if (id.type === 'IAMUser' || id.type === undefined)
        Object.assign(v, { userName: user, arn: `arn:aws:iam::${account}:user/${user}`, principalId: `AIDA${pad(u, 17)}` });
      else if (id.type === 'AssumedRole')
        Object.assign(v, { arn: `arn:aws:sts::${account}:assumed-role/Role${u % 50}/${user}`, principalId: `AROA${pad(u % 50, 17)}:${user}` });
      else if (id.type === 'Root') Object.assign(v, { arn: `arn:aws:iam::${account}:root`, principalId: account });
      if (id.accessKeyId !== undefined || id.type === 'IAMUser' || id.type === 'AssumedRole')
        v.accessKeyId = id.type === 'AssumedRole' ? 'ASIA' + key.slice(4) : key;
      out.userIdentity = v;
    }
    if (Array.isArray(t.resources)) {
      const k = this.skewed(20_000);
      out.resources = t.resources.map((x: unknown) => {
        if (!x || typeof x !== 'object') return x;
        const res = x as Obj;
        const arn = typeof res.ARN === 'string' ? res.ARN : typeof res.arn === 'string' ? res.arn : undefined;
        return {
          ...res,
          accountId: account,
          ...(arn !== undefined ? { [typeof res.ARN === 'string' ? 'ARN' : 'arn']: `${arn.replace(/:\d{12}:/, `:${account}:`).replace(/\s/g, '')}-${k}` } : {}),
        };
      });
    }
    return out;
  }
}

/** A valid-looking, unique UUID for record i. */
function uuid(i: number, tag: number): string {
  const h = pad(i, 12);
  return `${hex(tag, 2)}${hex((i * 2654435761) >>> 0, 8).slice(0, 6)}-${hex(i % 65536, 4)}-4${hex(tag, 3)}-8${hex((i >>> 16) % 4096, 3)}-${h}`;
}
