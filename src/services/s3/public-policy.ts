/**
 * Whether a bucket policy is public, as Block Public Access judges it
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status):
 * a policy is public unless every Allow statement grants only to fixed principals (accounts, users,
 * roles, service principals — not `*`) or is limited by a fixed value of one of the listed
 * condition keys (aws:SourceIp with a CIDR narrower than /8, aws:SourceArn, aws:SourceVpc,
 * aws:SourceVpce, aws:SourceOwner, aws:SourceAccount, aws:userid, aws:PrincipalOrgID, …).
 */
import { parsePolicy, type Statement } from '../../auth/policy/index.ts';

const FIXING_KEYS = new Set(
  [
    'aws:SourceArn',
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:SourceOwner',
    'aws:SourceAccount',
    'aws:userid',
    'aws:PrincipalArn',
    'aws:PrincipalAccount',
    'aws:PrincipalOrgID',
    'aws:PrincipalOrgPaths',
    's3:DataAccessPointArn',
    's3:DataAccessPointAccount',
  ].map((k) => k.toLowerCase()),
);

/** Does the Principal element (or a NotPrincipal) open the statement to everyone? */
function everyone(s: Statement): boolean {
  if (s.NotPrincipal !== undefined) return true;
  const p = s.Principal;
  if (p === undefined || p === '*') return true;
  return Object.values(p).some((ids) => ids.includes('*'));
}

/** A condition fixing the caller to a known set: an equality-type operator on a listed key with no wildcard, or a narrow aws:SourceIp. */
function fixedByCondition(s: Statement): boolean {
  for (const [op, block] of Object.entries(s.Condition ?? {})) {
    const o = op.toLowerCase().replace(/ifexists$/, '');
    if (o.startsWith('forallvalues:') || o.endsWith('ifexists')) continue;
    for (const [key, values] of Object.entries(block)) {
      const k = key.toLowerCase();
      if (k === 'aws:sourceip' && o.endsWith('ipaddress') && !o.includes('not')) {
        if (values.every((v) => Number(v.split('/')[1] ?? 32) >= 8)) return true;
        continue;
      }
      const equality = /^(foranyvalue:)?(stringequals|stringequalsignorecase|arnequals|stringlike|arnlike)$/.test(o);
      if (FIXING_KEYS.has(k) && equality && values.every((v) => !v.includes('*') && !v.includes('?'))) return true;
    }
  }
  return false;
}

export function isPublicPolicy(text: string): boolean {
  let statements: Statement[];
  try {
    statements = parsePolicy(text, 'resource').Statement;
  } catch {
    return false;
  }
  return statements.some((s) => s.Effect === 'Allow' && everyone(s) && !fixedByCondition(s));
}
