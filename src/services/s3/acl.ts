/**
 * S3 access control lists (docs/s3.md#acls), as AWS documents them:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html (grantees, permissions, canned ACLs),
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html (ACLs disabled by BucketOwnerEnforced),
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-error-responses.html (AccessControlListNotSupported,
 * InvalidBucketAclWithObjectOwnership) and
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html (BlockPublicAcls, IgnorePublicAcls).
 *
 * An ACL is kept as the owner's account and its grants, each grantee a startrail account (canonical user
 * id, or an email address resolved to one), or one of S3's groups. A bucket's is the bucket configuration
 * `acl`; an object's the optional `acl` field of its metadata. None stored means the owner's FULL_CONTROL.
 * While ACLs are enabled (ObjectOwnership BucketOwnerPreferred or ObjectWriter), access evaluation reads
 * the grants as resource-policy statements (aclStatements): READ on a bucket allows listing it, WRITE
 * allows writing and deleting its objects, READ on an object allows reading it, READ_ACP/WRITE_ACP the
 * ACL calls, FULL_CONTROL all of them.
 */
import type { ObjectStore } from '../../objects/index.ts';
import type { Store } from '../../store/types.ts';
import type { AccessControlPolicy, Grant, Owner, PublicAccessBlockConfiguration } from './model.generated.ts';

/** ACL permissions (acl-overview.html "What permissions can I grant?"). */
export type Permission = 'FULL_CONTROL' | 'WRITE' | 'WRITE_ACP' | 'READ' | 'READ_ACP';
/** S3 Object Ownership settings (about-object-ownership.html). */
export type ObjectOwnership = 'BucketOwnerPreferred' | 'ObjectWriter' | 'BucketOwnerEnforced';
import { owner as canonicalOwner } from './owner.ts';
import { accessDenied, invalidArgument, invalidRequest, S3Error } from './errors.ts';

export const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
export const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';
const GROUPS = [ALL_USERS, AUTHENTICATED_USERS, LOG_DELIVERY];
/** The canonical user aws-exec-read grants READ to: EC2's (acl-overview.html "Canned ACL"). */
export const EC2_CANONICAL_ID = '6aa5a366c34c1cbe25dc49211496e913e0351eb0e8c37aa3477e40942ec6b97c';

const PERMISSIONS: Permission[] = ['FULL_CONTROL', 'WRITE', 'WRITE_ACP', 'READ', 'READ_ACP'];

export type StoredGrantee =
  | { type: 'CanonicalUser'; id: string /** the startrail account, when the id is one's */; account?: string }
  | { type: 'Group'; uri: string };
export interface StoredGrant {
  grantee: StoredGrantee;
  permission: Permission;
}
export interface StoredAcl {
  /** the owner's account id */
  owner: string;
  grants: StoredGrant[];
}

export const BUCKET_CANNED = ['private', 'public-read', 'public-read-write', 'authenticated-read', 'log-delivery-write'];
export const OBJECT_CANNED = [
  'private',
  'public-read',
  'public-read-write',
  'authenticated-read',
  'aws-exec-read',
  'bucket-owner-read',
  'bucket-owner-full-control',
];

export const aclNotSupported = () => new S3Error('AccessControlListNotSupported', 'The bucket does not allow ACLs', 400);
export const invalidBucketAclWithOwnership = () =>
  new S3Error('InvalidBucketAclWithObjectOwnership', "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting", 400);
export const invalidBucketAclWithBlockPublicAccess = () =>
  new S3Error('InvalidBucketAclWithBlockPublicAccessError', 'Bucket cannot have public ACLs set with BlockPublicAccess enabled', 400);
export const malformedAcl = () =>
  new S3Error('MalformedACLError', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
const unresolvableEmail = (email: string) =>
  new S3Error('UnresolvableGrantByEmailAddress', 'The e-mail address you provided does not match any account on record.', 400, { EmailAddressGrantee: email });
const invalidId = (id: string) => invalidArgument('Invalid id', 'CanonicalUser/ID', id);

const user = (account: string): StoredGrantee => ({ type: 'CanonicalUser', id: canonicalOwner(account).ID, account });
const group = (uri: string): StoredGrantee => ({ type: 'Group', uri });

/** The owner's FULL_CONTROL: an ACL-less bucket or object, and what every read reports while ACLs are disabled. */
export const ownerOnly = (owner: string): StoredAcl => ({ owner, grants: [{ grantee: user(owner), permission: 'FULL_CONTROL' }] });

/**
 * A canned ACL's grants (acl-overview.html "Canned ACL"). On a bucket, bucket-owner-read and
 * bucket-owner-full-control are ignored (the owner's FULL_CONTROL), as S3 does.
 */
export function cannedAcl(name: string, owner: string, bucketOwner: string, on: 'bucket' | 'object'): StoredAcl {
  const acl = ownerOnly(owner);
  const add = (grantee: StoredGrantee, permission: Permission) => acl.grants.push({ grantee, permission });
  switch (name) {
    case 'private':
      break;
    case 'public-read':
      add(group(ALL_USERS), 'READ');
      break;
    case 'public-read-write':
      add(group(ALL_USERS), 'READ');
      add(group(ALL_USERS), 'WRITE');
      break;
    case 'authenticated-read':
      add(group(AUTHENTICATED_USERS), 'READ');
      break;
    case 'aws-exec-read':
      add({ type: 'CanonicalUser', id: EC2_CANONICAL_ID }, 'READ');
      break;
    case 'bucket-owner-read':
      if (on === 'object' && bucketOwner !== owner) add(user(bucketOwner), 'READ');
      break;
    case 'bucket-owner-full-control':
      if (on === 'object' && bucketOwner !== owner) add(user(bucketOwner), 'FULL_CONTROL');
      break;
    case 'log-delivery-write':
      add(group(LOG_DELIVERY), 'WRITE');
      add(group(LOG_DELIVERY), 'READ_ACP');
      break;
  }
  return acl;
}

/** The ACL members of a request: x-amz-acl, x-amz-grant-*, and (PutBucketAcl, PutObjectAcl) the AccessControlPolicy body. */
export interface AclInput {
  ACL?: string;
  GrantFullControl?: string;
  GrantRead?: string;
  GrantReadACP?: string;
  GrantWrite?: string;
  GrantWriteACP?: string;
  AccessControlPolicy?: AccessControlPolicy;
}

const GRANT_HEADERS: [keyof AclInput, Permission, string][] = [
  ['GrantFullControl', 'FULL_CONTROL', 'x-amz-grant-full-control'],
  ['GrantRead', 'READ', 'x-amz-grant-read'],
  ['GrantReadACP', 'READ_ACP', 'x-amz-grant-read-acp'],
  ['GrantWrite', 'WRITE', 'x-amz-grant-write'],
  ['GrantWriteACP', 'WRITE_ACP', 'x-amz-grant-write-acp'],
];

/** Whether the request names an ACL at all. */
export function namesAcl(input: AclInput): boolean {
  return input.ACL !== undefined || GRANT_HEADERS.some(([m]) => input[m] !== undefined) || input.AccessControlPolicy !== undefined;
}

/** `id="…", uri="…", emailAddress="…"`: a grant header's grantees (API_PutObjectAcl "x-amz-grant-read"). */
export function parseGrantHeader(header: string, name: string): { kind: 'id' | 'uri' | 'emailAddress'; value: string }[] {
  const out: { kind: 'id' | 'uri' | 'emailAddress'; value: string }[] = [];
  for (const part of header.split(',')) {
    const m = /^\s*(id|uri|emailAddress)\s*=\s*(?:"([^"]*)"|([^\s"]+))\s*$/i.exec(part);
    if (!m) throw invalidArgument('Invalid Argument', name, header);
    const kind = m[1]!.toLowerCase() === 'emailaddress' ? 'emailAddress' : (m[1]!.toLowerCase() as 'id' | 'uri');
    out.push({ kind, value: m[2] ?? m[3] ?? '' });
  }
  return out;
}

/** The startrail account whose canonical user id this is. */
async function accountOfId(store: Store, id: string, known: string[]): Promise<string | undefined> {
  const near = known.find((a) => canonicalOwner(a).ID === id);
  if (near) return near;
  for (const a of await store.accounts.list()) if (canonicalOwner(a.accountId).ID === id) return a.accountId;
  return undefined;
}

async function resolveGrantee(store: Store, kind: 'id' | 'uri' | 'emailAddress', value: string, known: string[]): Promise<StoredGrantee> {
  if (kind === 'uri') {
    if (!GROUPS.includes(value)) throw invalidArgument('Invalid group uri', 'Group/URI', value);
    return group(value);
  }
  if (kind === 'emailAddress') {
    const a = await store.accounts.getByEmail(value);
    if (!a) throw unresolvableEmail(value);
    return user(a.accountId);
  }
  if (value === EC2_CANONICAL_ID) return { type: 'CanonicalUser', id: value };
  const account = await accountOfId(store, value, known);
  if (!account) throw invalidId(value);
  return user(account);
}

/**
 * The ACL a request asks for, or undefined when it names none. x-amz-acl with x-amz-grant-* is
 * InvalidRequest; a header with a body is UnexpectedContent; an unknown canned ACL InvalidArgument.
 */
export async function requestedAcl(store: Store, input: AclInput, owner: string, bucketOwner: string, on: 'bucket' | 'object'): Promise<StoredAcl | undefined> {
  const headerGrants = GRANT_HEADERS.filter(([m]) => input[m] !== undefined);
  if (input.ACL !== undefined && headerGrants.length) throw invalidRequest('Specifying both Canned ACLs and Header Grants is not allowed');
  if (input.AccessControlPolicy !== undefined && (input.ACL !== undefined || headerGrants.length)) {
    throw new S3Error('UnexpectedContent', 'This request does not support content', 400);
  }
  if (input.ACL !== undefined) {
    if (!(on === 'bucket' ? BUCKET_CANNED : OBJECT_CANNED).includes(input.ACL)) throw invalidArgument('', 'x-amz-acl', input.ACL);
    return cannedAcl(input.ACL, owner, bucketOwner, on);
  }
  if (headerGrants.length) {
    const grants: StoredGrant[] = [];
    for (const [member, permission, header] of headerGrants) {
      for (const g of parseGrantHeader(String(input[member]), header))
        grants.push({ grantee: await resolveGrantee(store, g.kind, g.value, [owner, bucketOwner]), permission });
    }
    return { owner, grants };
  }
  const policy = input.AccessControlPolicy;
  if (policy === undefined) return undefined;
  if (policy.Owner?.ID !== undefined && policy.Owner.ID !== canonicalOwner(owner).ID) throw malformedAcl();
  const grants: StoredGrant[] = [];
  for (const g of policy.Grants ?? []) {
    const p = g.Permission;
    if (!p || !PERMISSIONS.includes(p as Permission) || !g.Grantee) throw malformedAcl();
    const e = g.Grantee;
    const named = [e.ID, e.URI, e.EmailAddress].filter((v) => v !== undefined);
    if (named.length !== 1) throw malformedAcl();
    const kind = e.ID !== undefined ? 'id' : e.URI !== undefined ? 'uri' : 'emailAddress';
    grants.push({ grantee: await resolveGrantee(store, kind, named[0]!, [owner, bucketOwner]), permission: p as Permission });
  }
  return { owner, grants };
}

const isPublicGrant = (g: StoredGrant) => g.grantee.type === 'Group' && (g.grantee.uri === ALL_USERS || g.grantee.uri === AUTHENTICATED_USERS);

/** "The meaning of public" for ACLs: a grant to AllUsers or AuthenticatedUsers (access-control-block-public-access.html). */
export const isPublicAcl = (acl: StoredAcl) => acl.grants.some(isPublicGrant);

/** Only the owner's FULL_CONTROL (with the bucket owner's, when they are the same): what BucketOwnerEnforced accepts. */
export function isOwnerOnly(acl: StoredAcl, bucketOwner: string): boolean {
  return acl.grants.every((g) => g.grantee.type === 'CanonicalUser' && g.grantee.account === bucketOwner && g.permission === 'FULL_CONTROL');
}

/**
 * Whether the ACL may be set, by the bucket's ObjectOwnership and Block Public Access: with ACLs
 * disabled only the owner's FULL_CONTROL (AccessControlListNotSupported, 400); with BlockPublicAcls
 * no public grant (AccessDenied, 403).
 */
export function checkAclAllowed(
  acl: StoredAcl,
  bucketOwner: string,
  ownership: ObjectOwnership | undefined,
  pab: PublicAccessBlockConfiguration | undefined,
): void {
  if (ownership === 'BucketOwnerEnforced' && !isOwnerOnly(acl, bucketOwner)) throw aclNotSupported();
  if (pab?.BlockPublicAcls && isPublicAcl(acl)) throw accessDenied();
}

/** An ACL as GetBucketAcl and GetObjectAcl answer it. */
export function aclOutput(acl: StoredAcl): { Owner: Owner; Grants: Grant[] } {
  return {
    Owner: canonicalOwner(acl.owner),
    Grants: acl.grants.map((g) => ({
      Grantee:
        g.grantee.type === 'Group'
          ? { Type: 'Group', URI: g.grantee.uri }
          : { Type: 'CanonicalUser', ID: g.grantee.id, ...(g.grantee.account ? { DisplayName: canonicalOwner(g.grantee.account).DisplayName } : {}) },
      Permission: g.permission,
    })),
  };
}

export function parseStoredAcl(text: string | undefined): StoredAcl | undefined {
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as StoredAcl;
    return typeof v.owner === 'string' && Array.isArray(v.grants) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The actions each permission grants (acl-overview.html "Mapping of ACL permissions and access policy permissions"). */
const BUCKET_ACTIONS: Record<Permission, string[]> = {
  READ: ['s3:ListBucket', 's3:ListBucketVersions', 's3:ListBucketMultipartUploads'],
  WRITE: ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion'],
  READ_ACP: ['s3:GetBucketAcl'],
  WRITE_ACP: ['s3:PutBucketAcl'],
  FULL_CONTROL: [],
};
BUCKET_ACTIONS.FULL_CONTROL = [...BUCKET_ACTIONS.READ, ...BUCKET_ACTIONS.WRITE, ...BUCKET_ACTIONS.READ_ACP, ...BUCKET_ACTIONS.WRITE_ACP];
const OBJECT_ACTIONS: Record<Permission, string[]> = {
  READ: ['s3:GetObject', 's3:GetObjectVersion'],
  WRITE: [],
  READ_ACP: ['s3:GetObjectAcl', 's3:GetObjectVersionAcl'],
  WRITE_ACP: ['s3:PutObjectAcl', 's3:PutObjectVersionAcl'],
  FULL_CONTROL: [],
};
OBJECT_ACTIONS.FULL_CONTROL = [...OBJECT_ACTIONS.READ, ...OBJECT_ACTIONS.READ_ACP, ...OBJECT_ACTIONS.WRITE_ACP];

type Statement = Record<string, unknown>;

function principalOf(g: StoredGrantee): { principal: unknown; condition?: unknown } | undefined {
  if (g.type === 'CanonicalUser') return g.account ? { principal: { AWS: `arn:aws:iam::${g.account}:root` } } : undefined;
  if (g.uri === ALL_USERS) return { principal: '*' };
  if (g.uri === AUTHENTICATED_USERS) return { principal: '*', condition: { StringNotEquals: { 'aws:PrincipalType': 'Anonymous' } } };
  return { principal: { Service: 'logging.s3.amazonaws.com' } };
}

/**
 * The ACLs' grants as resource-policy statements: the bucket's on the bucket (WRITE on its objects),
 * the object's on the object. Grants to the bucket owner's own account add nothing (its identity
 * policies decide); with IgnorePublicAcls, grants to AllUsers and AuthenticatedUsers are ignored.
 */
export function aclStatements(
  bucket: string,
  bucketOwner: string,
  bucketAcl: StoredAcl | undefined,
  object: { key: string; acl: StoredAcl | undefined } | undefined,
  ignorePublic: boolean,
): Statement[] {
  const out: Statement[] = [];
  const add = (grants: StoredGrant[], actions: Record<Permission, string[]>, resource: (p: Permission) => string) => {
    for (const g of grants) {
      if (ignorePublic && isPublicGrant(g)) continue;
      if (g.grantee.type === 'CanonicalUser' && g.grantee.account === bucketOwner) continue;
      const p = principalOf(g.grantee);
      const action = actions[g.permission];
      if (!p || !action.length) continue;
      out.push({
        Sid: `acl-${out.length}`,
        Effect: 'Allow',
        Principal: p.principal,
        Action: action,
        Resource: resource(g.permission),
        ...(p.condition ? { Condition: p.condition } : {}),
      });
    }
  };
  if (bucketAcl) {
    add(
      bucketAcl.grants.filter((g) => g.permission !== 'WRITE' && g.permission !== 'FULL_CONTROL'),
      BUCKET_ACTIONS,
      () => `arn:aws:s3:::${bucket}`,
    );
    // WRITE (and FULL_CONTROL's WRITE) acts on the bucket's objects
    const writes = bucketAcl.grants.filter((g) => g.permission === 'WRITE' || g.permission === 'FULL_CONTROL');
    add(
      writes.map((g) => ({ ...g, permission: 'WRITE' as const })),
      BUCKET_ACTIONS,
      () => `arn:aws:s3:::${bucket}/*`,
    );
    add(
      bucketAcl.grants.filter((g) => g.permission === 'FULL_CONTROL'),
      { ...BUCKET_ACTIONS, FULL_CONTROL: [...BUCKET_ACTIONS.READ, ...BUCKET_ACTIONS.READ_ACP, ...BUCKET_ACTIONS.WRITE_ACP] },
      () => `arn:aws:s3:::${bucket}`,
    );
  }
  if (object?.acl) add(object.acl.grants, OBJECT_ACTIONS, () => `arn:aws:s3:::${bucket}/${object.key}`);
  return out;
}

/** The bucket policy with the ACL statements added (a policy of its own when the bucket has none). */
export function withStatements(policy: string | undefined, statements: Statement[]): string | undefined {
  if (!statements.length) return policy;
  if (!policy) return JSON.stringify({ Version: '2012-10-17', Statement: statements });
  try {
    const doc = JSON.parse(policy) as { Statement?: unknown };
    const own = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
    return JSON.stringify({ ...doc, Statement: [...own, ...statements] });
  } catch {
    return policy;
  }
}

/** The bucket's ObjectOwnership; none stored (deleted, or a bucket from before ownership controls): ObjectWriter, ACLs enabled. */
export async function ownershipOf(objects: ObjectStore, bucket: string): Promise<ObjectOwnership | undefined> {
  const text = await objects.getBucketConfig(bucket, 'ownership-controls').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return (JSON.parse(text) as { Rules?: { ObjectOwnership?: ObjectOwnership }[] }).Rules?.[0]?.ObjectOwnership;
  } catch {
    return undefined;
  }
}

export async function pabOf(objects: ObjectStore, bucket: string): Promise<PublicAccessBlockConfiguration | undefined> {
  const text = await objects.getBucketConfig(bucket, 'public-access-block').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as PublicAccessBlockConfiguration);
}

export async function bucketAclOf(objects: ObjectStore, bucket: string): Promise<StoredAcl | undefined> {
  return parseStoredAcl(await objects.getBucketConfig(bucket, 'acl').catch(() => undefined));
}

/**
 * The resource policy a call is evaluated against: the bucket policy, plus — while the bucket's ACLs
 * are enabled — its ACL's grants and, for an object call, the object's (aclStatements).
 */
export async function aclPolicy(
  objects: ObjectStore,
  bucket: string,
  key: string | undefined,
  policy: string | undefined,
  bucketOwner: string | undefined,
): Promise<string | undefined> {
  if (bucketOwner === undefined) return policy;
  const ownership = await ownershipOf(objects, bucket);
  if (ownership === 'BucketOwnerEnforced') return policy;
  const [bucketAcl, pab, info] = await Promise.all([
    bucketAclOf(objects, bucket),
    pabOf(objects, bucket).catch(() => undefined),
    key === undefined || key === '' ? undefined : objects.headObject(bucket, key).catch(() => undefined),
  ]);
  const object = key === undefined || key === '' ? undefined : { key, acl: parseStoredAcl(info?.acl) };
  return withStatements(policy, aclStatements(bucket, bucketOwner, bucketAcl, object, pab?.IgnorePublicAcls === true));
}

/**
 * The ACL a new object gets (PutObject, CopyObject, CreateMultipartUpload), as the JSON its metadata
 * keeps, or undefined (the owner's FULL_CONTROL). Its owner: with BucketOwnerEnforced the bucket owner;
 * with BucketOwnerPreferred the bucket owner when the writer sends bucket-owner-full-control; else the
 * writer (about-object-ownership.html). Refused as checkAclAllowed says.
 */
export async function newObjectAcl(
  objects: ObjectStore,
  store: Store,
  bucket: string,
  input: AclInput,
  writer: string,
  configured: string,
): Promise<string | undefined> {
  const info = await objects.getBucket(bucket).catch(() => undefined);
  if (!info) return undefined; // the write itself answers NoSuchBucket
  const bucketOwner = info.owner ?? configured;
  const ownership = await ownershipOf(objects, bucket);
  const objectOwner =
    ownership === 'BucketOwnerEnforced' || (ownership === 'BucketOwnerPreferred' && input.ACL === 'bucket-owner-full-control') ? bucketOwner : writer;
  const acl = (await requestedAcl(store, input, objectOwner, bucketOwner, 'object')) ?? (objectOwner !== bucketOwner ? ownerOnly(objectOwner) : undefined);
  if (!acl) return undefined;
  checkAclAllowed(acl, bucketOwner, ownership, await pabOf(objects, bucket).catch(() => undefined));
  return ownership === 'BucketOwnerEnforced' ? undefined : JSON.stringify(acl);
}
