/** IdentityStore over Kysely (both dialects). Secrets are sealed with the SecretBox before they are written. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { compiled } from './compiled.ts';
import type { DB, Row } from './schema.ts';
import type { SecretBox } from './secret-box.ts';
import type {
  AccessKey,
  Group,
  IdentityStore,
  InlinePolicy,
  ManagedPolicy,
  PolicyVersion,
  PrincipalKind,
  Role,
  Session,
  Tag,
  TaggableKind,
  User,
} from './types.ts';

/** every signed request reads its access key (compiled.ts) */
const accessKeyById = compiled((db, id: string) => db.selectFrom('access_keys').selectAll().where('access_key_id', '=', id));

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export class KyselyIdentityStore implements IdentityStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly box: SecretBox,
    /** the account whose identities this view reads and writes (docs/accounts.md#storage) */
    private readonly account: string,
  ) {}

  /** A name's key: account-qualified and lower-cased (migrations/018-accounts.ts). */
  private key(name: string): string {
    return `${this.account}/${name.toLowerCase()}`;
  }
  /** A key back to the lower-cased name. */
  private static unkey(key: string): string {
    return key.slice(key.indexOf('/') + 1);
  }

  async getAccessKey(id: string): Promise<AccessKey | undefined> {
    const [r] = await accessKeyById(this.db, id);
    return (
      r && {
        accessKeyId: r.access_key_id,
        secretAccessKey: this.box.open(r.secret),
        userName: r.user_name,
        accountId: r.account_id,
        status: r.status as AccessKey['status'],
        createDate: new Date(Number(r.create_date)),
      }
    );
  }
  async putAccessKey(k: AccessKey): Promise<void> {
    await this.db
      .insertInto('access_keys')
      .values({
        access_key_id: k.accessKeyId,
        secret: this.box.seal(k.secretAccessKey),
        user_name: k.userName,
        account_id: k.accountId ?? this.account,
        status: k.status,
        create_date: k.createDate.getTime(),
      })
      .execute();
  }
  async listAccessKeys(userName: string | null): Promise<AccessKey[]> {
    const q = this.db.selectFrom('access_keys').select('access_key_id').where('account_id', '=', this.account);
    const rows = await (userName === null ? q.where('user_name', 'is', null) : q.where('user_name', '=', userName)).orderBy('create_date').execute();
    return Promise.all(rows.map(async (r) => (await this.getAccessKey(r.access_key_id))!));
  }
  async updateAccessKeyStatus(id: string, status: AccessKey['status']): Promise<void> {
    await this.db.updateTable('access_keys').set({ status }).where('access_key_id', '=', id).where('account_id', '=', this.account).execute();
  }
  async deleteAccessKey(id: string): Promise<void> {
    await this.db.deleteFrom('access_keys').where('access_key_id', '=', id).where('account_id', '=', this.account).execute();
  }

  private toUser(r: Row<'users'>): User {
    return {
      userId: r.user_id,
      userName: r.user_name,
      path: r.path,
      arn: r.arn,
      createDate: new Date(Number(r.create_date)),
      tags: JSON.parse(r.tags),
      ...(r.permissions_boundary !== null ? { permissionsBoundary: r.permissions_boundary } : {}),
    };
  }
  async getUser(name: string): Promise<User | undefined> {
    const r = await this.db.selectFrom('users').selectAll().where('name_lower', '=', this.key(name)).executeTakeFirst();
    return r && this.toUser(r);
  }
  async getUserById(id: string): Promise<User | undefined> {
    const r = await this.db.selectFrom('users').selectAll().where('user_id', '=', id).where('account_id', '=', this.account).executeTakeFirst();
    return r && this.toUser(r);
  }
  async createUser(u: User): Promise<void> {
    await this.db
      .insertInto('users')
      .values({
        user_id: u.userId,
        account_id: this.account,
        user_name: u.userName,
        name_lower: this.key(u.userName),
        path: u.path,
        arn: u.arn,
        create_date: u.createDate.getTime(),
        tags: JSON.stringify(u.tags),
        permissions_boundary: u.permissionsBoundary ?? null,
      })
      .execute();
  }
  async deleteUser(name: string): Promise<void> {
    await this.db.deleteFrom('users').where('name_lower', '=', this.key(name)).execute();
  }
  async listUsers(o: { pathPrefix?: string; after?: string; limit: number }): Promise<User[]> {
    let q = this.db.selectFrom('users').selectAll().where('account_id', '=', this.account).orderBy('name_lower').limit(o.limit);
    if (o.pathPrefix) q = q.where((eb) => eb(eb.fn('substr', ['path', eb.val(1), eb.val(o.pathPrefix!.length)]), '=', o.pathPrefix!));
    if (o.after) q = q.where('name_lower', '>', this.key(o.after));
    return (await q.execute()).map((r) => this.toUser(r));
  }

  private toRole(r: Row<'roles'>): Role {
    return {
      roleId: r.role_id,
      roleName: r.role_name,
      path: r.path,
      arn: r.arn,
      assumeRolePolicyDocument: r.trust_policy,
      ...(r.description !== null ? { description: r.description } : {}),
      maxSessionDuration: r.max_session_duration,
      createDate: new Date(Number(r.create_date)),
      tags: JSON.parse(r.tags),
      ...(r.permissions_boundary !== null ? { permissionsBoundary: r.permissions_boundary } : {}),
    };
  }
  async getRole(name: string): Promise<Role | undefined> {
    const r = await this.db.selectFrom('roles').selectAll().where('name_lower', '=', this.key(name)).executeTakeFirst();
    return r && this.toRole(r);
  }
  async getRoleById(id: string): Promise<Role | undefined> {
    const r = await this.db.selectFrom('roles').selectAll().where('role_id', '=', id).where('account_id', '=', this.account).executeTakeFirst();
    return r && this.toRole(r);
  }
  async createRole(r: Role): Promise<void> {
    await this.db
      .insertInto('roles')
      .values({
        role_id: r.roleId,
        account_id: this.account,
        role_name: r.roleName,
        name_lower: this.key(r.roleName),
        path: r.path,
        arn: r.arn,
        trust_policy: r.assumeRolePolicyDocument,
        description: r.description ?? null,
        max_session_duration: r.maxSessionDuration,
        create_date: r.createDate.getTime(),
        tags: JSON.stringify(r.tags),
        permissions_boundary: r.permissionsBoundary ?? null,
      })
      .execute();
  }
  async updateRoleTrustPolicy(name: string, document: string): Promise<void> {
    await this.db.updateTable('roles').set({ trust_policy: document }).where('name_lower', '=', this.key(name)).execute();
  }
  async deleteRole(name: string): Promise<void> {
    await this.db.deleteFrom('roles').where('name_lower', '=', this.key(name)).execute();
  }
  async listRoles(o: { pathPrefix?: string; after?: string; limit: number }): Promise<Role[]> {
    let q = this.db.selectFrom('roles').selectAll().where('account_id', '=', this.account).orderBy('name_lower').limit(o.limit);
    if (o.pathPrefix) q = q.where((eb) => eb(eb.fn('substr', ['path', eb.val(1), eb.val(o.pathPrefix!.length)]), '=', o.pathPrefix!));
    if (o.after) q = q.where('name_lower', '>', this.key(o.after));
    return (await q.execute()).map((r) => this.toRole(r));
  }

  async setPermissionsBoundary(kind: 'user' | 'role', name: string, policyArn: string | null): Promise<void> {
    await this.db
      .updateTable(kind === 'user' ? 'users' : 'roles')
      .set({ permissions_boundary: policyArn })
      .where('name_lower', '=', this.key(name))
      .execute();
  }
  async countBoundaryUses(policyArn: string): Promise<number> {
    let n = 0;
    for (const table of ['users', 'roles'] as const) {
      const r = await this.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('permissions_boundary', '=', policyArn)
        .where('account_id', '=', this.account)
        .executeTakeFirst();
      n += Number(r?.n ?? 0);
    }
    return n;
  }
  async setTags(kind: TaggableKind, nameOrArn: string, tags: Tag[]): Promise<void> {
    const tagsJson = JSON.stringify(tags);
    if (kind === 'policy') await this.db.updateTable('managed_policies').set({ tags: tagsJson }).where('arn', '=', nameOrArn).execute();
    else
      await this.db
        .updateTable(kind === 'user' ? 'users' : 'roles')
        .set({ tags: tagsJson })
        .where('name_lower', '=', this.key(nameOrArn))
        .execute();
  }

  private toGroup(r: Row<'iam_groups'>): Group {
    return { groupId: r.group_id, groupName: r.group_name, path: r.path, arn: r.arn, createDate: new Date(Number(r.create_date)) };
  }
  async getGroup(name: string): Promise<Group | undefined> {
    const r = await this.db.selectFrom('iam_groups').selectAll().where('name_lower', '=', this.key(name)).executeTakeFirst();
    return r && this.toGroup(r);
  }
  async createGroup(g: Group): Promise<void> {
    await this.db
      .insertInto('iam_groups')
      .values({
        group_id: g.groupId,
        account_id: this.account,
        group_name: g.groupName,
        name_lower: this.key(g.groupName),
        path: g.path,
        arn: g.arn,
        create_date: g.createDate.getTime(),
      })
      .execute();
  }
  async updateGroup(name: string, change: { groupName: string; path: string; arn: string }): Promise<void> {
    const from = this.key(name);
    const to = this.key(change.groupName);
    await this.db
      .updateTable('iam_groups')
      .set({ group_name: change.groupName, name_lower: to, path: change.path, arn: change.arn })
      .where('name_lower', '=', from)
      .execute();
    if (from === to) return;
    await this.db.updateTable('iam_group_members').set({ group_name: to }).where('group_name', '=', from).execute();
    await this.db.updateTable('inline_policies').set({ owner_name: to }).where('owner_kind', '=', 'group').where('owner_name', '=', from).execute();
    await this.db.updateTable('policy_attachments').set({ owner_name: to }).where('owner_kind', '=', 'group').where('owner_name', '=', from).execute();
  }
  async deleteGroup(name: string): Promise<void> {
    await this.db.deleteFrom('iam_group_members').where('group_name', '=', this.key(name)).execute();
    await this.db.deleteFrom('iam_groups').where('name_lower', '=', this.key(name)).execute();
  }
  async listGroups(o: { pathPrefix?: string; after?: string; limit: number }): Promise<Group[]> {
    let q = this.db.selectFrom('iam_groups').selectAll().where('account_id', '=', this.account).orderBy('name_lower').limit(o.limit);
    if (o.pathPrefix) q = q.where((eb) => eb(eb.fn('substr', ['path', eb.val(1), eb.val(o.pathPrefix!.length)]), '=', o.pathPrefix!));
    if (o.after) q = q.where('name_lower', '>', this.key(o.after));
    return (await q.execute()).map((r) => this.toGroup(r));
  }
  async addUserToGroup(groupName: string, userName: string, at: Date): Promise<void> {
    await this.db
      .insertInto('iam_group_members')
      .values({ group_name: this.key(groupName), user_name: this.key(userName), added_at: at.getTime() })
      .onConflict((oc) => oc.columns(['group_name', 'user_name']).doNothing())
      .execute();
  }
  async removeUserFromGroup(groupName: string, userName: string): Promise<void> {
    await this.db.deleteFrom('iam_group_members').where('group_name', '=', this.key(groupName)).where('user_name', '=', this.key(userName)).execute();
  }
  async listGroupsForUser(userName: string): Promise<Group[]> {
    const rows = await this.db
      .selectFrom('iam_group_members as m')
      .innerJoin('iam_groups as g', 'g.name_lower', 'm.group_name')
      .selectAll('g')
      .where('m.user_name', '=', this.key(userName))
      .orderBy('g.name_lower')
      .execute();
    return rows.map((r) => this.toGroup(r));
  }
  async listGroupMembers(groupName: string): Promise<User[]> {
    const rows = await this.db
      .selectFrom('iam_group_members as m')
      .innerJoin('users as u', 'u.name_lower', 'm.user_name')
      .selectAll('u')
      .where('m.group_name', '=', this.key(groupName))
      .orderBy('u.name_lower')
      .execute();
    return rows.map((r) => this.toUser(r));
  }

  async putInlinePolicy(p: InlinePolicy): Promise<void> {
    await this.db
      .insertInto('inline_policies')
      .values({ owner_kind: p.ownerKind, owner_name: this.key(p.ownerName), policy_name: p.policyName, document: p.document })
      .onConflict((oc) => oc.columns(['owner_kind', 'owner_name', 'policy_name']).doUpdateSet({ document: p.document }))
      .execute();
  }
  async getInlinePolicy(kind: PrincipalKind, owner: string, name: string): Promise<InlinePolicy | undefined> {
    const r = await this.db
      .selectFrom('inline_policies')
      .selectAll()
      .where('owner_kind', '=', kind)
      .where('owner_name', '=', this.key(owner))
      .where('policy_name', '=', name)
      .executeTakeFirst();
    return r && { ownerKind: kind, ownerName: owner, policyName: r.policy_name, document: r.document };
  }
  async deleteInlinePolicy(kind: PrincipalKind, owner: string, name: string): Promise<void> {
    await this.db
      .deleteFrom('inline_policies')
      .where('owner_kind', '=', kind)
      .where('owner_name', '=', this.key(owner))
      .where('policy_name', '=', name)
      .execute();
  }
  async listInlinePolicies(kind: PrincipalKind, owner: string): Promise<InlinePolicy[]> {
    const rows = await this.db
      .selectFrom('inline_policies')
      .selectAll()
      .where('owner_kind', '=', kind)
      .where('owner_name', '=', this.key(owner))
      .orderBy('policy_name')
      .execute();
    return rows.map((r) => ({ ownerKind: kind, ownerName: owner, policyName: r.policy_name, document: r.document }));
  }

  private toPolicy(r: Row<'managed_policies'>): ManagedPolicy {
    return {
      arn: r.arn,
      policyId: r.policy_id,
      policyName: r.policy_name,
      path: r.path,
      document: r.document,
      defaultVersionId: r.default_version_id,
      ...(r.description !== null ? { description: r.description } : {}),
      createDate: new Date(Number(r.create_date)),
      updateDate: new Date(Number(r.update_date)),
      tags: JSON.parse(r.tags),
      awsManaged: false,
    };
  }
  async getManagedPolicy(arn: string): Promise<ManagedPolicy | undefined> {
    const r = await this.db.selectFrom('managed_policies').selectAll().where('arn', '=', arn).where('account_id', '=', this.account).executeTakeFirst();
    return r && this.toPolicy(r);
  }
  async createManagedPolicy(p: ManagedPolicy): Promise<void> {
    await this.db
      .insertInto('managed_policies')
      .values({
        arn: p.arn,
        account_id: this.account,
        policy_id: p.policyId,
        policy_name: p.policyName,
        path: p.path,
        document: p.document,
        default_version_id: p.defaultVersionId,
        description: p.description ?? null,
        create_date: p.createDate.getTime(),
        update_date: p.updateDate.getTime(),
        tags: JSON.stringify(p.tags),
      })
      .execute();
    await this.db
      .insertInto('policy_versions')
      .values({ policy_arn: p.arn, version_id: p.defaultVersionId, document: p.document, create_date: p.createDate.getTime() })
      .execute();
  }
  async deleteManagedPolicy(arn: string): Promise<void> {
    await this.db.deleteFrom('policy_versions').where('policy_arn', '=', arn).execute();
    await this.db.deleteFrom('managed_policies').where('arn', '=', arn).execute();
  }
  async listPolicyVersions(arn: string): Promise<PolicyVersion[]> {
    const rows = await this.db.selectFrom('policy_versions').selectAll().where('policy_arn', '=', arn).execute();
    const n = (id: string) => Number(id.slice(1));
    return rows
      .map((r) => ({ versionId: r.version_id, document: r.document, createDate: new Date(Number(r.create_date)) }))
      .sort((a, b) => n(b.versionId) - n(a.versionId));
  }
  async addPolicyVersion(arn: string, document: string, createDate: Date, setAsDefault: boolean): Promise<string> {
    const row = await this.db
      .updateTable('managed_policies')
      .set((eb) => ({ last_version: eb('last_version', '+', 1), update_date: createDate.getTime() }))
      .where('arn', '=', arn)
      .returning('last_version')
      .executeTakeFirstOrThrow();
    const versionId = `v${row.last_version}`;
    await this.db.insertInto('policy_versions').values({ policy_arn: arn, version_id: versionId, document, create_date: createDate.getTime() }).execute();
    if (setAsDefault) await this.setDefaultPolicyVersion(arn, versionId);
    return versionId;
  }
  async deletePolicyVersion(arn: string, versionId: string): Promise<void> {
    await this.db.deleteFrom('policy_versions').where('policy_arn', '=', arn).where('version_id', '=', versionId).execute();
  }
  async setDefaultPolicyVersion(arn: string, versionId: string): Promise<void> {
    const v = await this.db
      .selectFrom('policy_versions')
      .select('document')
      .where('policy_arn', '=', arn)
      .where('version_id', '=', versionId)
      .executeTakeFirstOrThrow();
    await this.db.updateTable('managed_policies').set({ default_version_id: versionId, document: v.document }).where('arn', '=', arn).execute();
  }
  async listPolicyUses(arn: string): Promise<{ attached: { kind: PrincipalKind; name: string }[]; boundaryOf: { kind: 'user' | 'role'; name: string }[] }> {
    const attached = await this.db
      .selectFrom('policy_attachments')
      .select(['owner_kind', 'owner_name'])
      .where('policy_arn', '=', arn)
      .where('account_id', '=', this.account)
      .orderBy('seq')
      .execute();
    const users = await this.db
      .selectFrom('users')
      .select('user_name')
      .where('permissions_boundary', '=', arn)
      .where('account_id', '=', this.account)
      .orderBy('name_lower')
      .execute();
    const roles = await this.db
      .selectFrom('roles')
      .select('role_name')
      .where('permissions_boundary', '=', arn)
      .where('account_id', '=', this.account)
      .orderBy('name_lower')
      .execute();
    return {
      attached: attached.map((r) => ({ kind: r.owner_kind as PrincipalKind, name: KyselyIdentityStore.unkey(r.owner_name) })),
      boundaryOf: [...users.map((u) => ({ kind: 'user' as const, name: u.user_name })), ...roles.map((r) => ({ kind: 'role' as const, name: r.role_name }))],
    };
  }
  async listManagedPolicies(o: { pathPrefix?: string }): Promise<ManagedPolicy[]> {
    let q = this.db.selectFrom('managed_policies').selectAll().where('account_id', '=', this.account).orderBy('policy_name');
    if (o.pathPrefix) q = q.where((eb) => eb(eb.fn('substr', ['path', eb.val(1), eb.val(o.pathPrefix!.length)]), '=', o.pathPrefix!));
    return (await q.execute()).map((r) => this.toPolicy(r));
  }

  async attachPolicy(kind: PrincipalKind, owner: string, arn: string): Promise<void> {
    await this.db
      .insertInto('policy_attachments')
      .values({ owner_kind: kind, owner_name: this.key(owner), policy_arn: arn, account_id: this.account })
      .onConflict((oc) => oc.columns(['owner_kind', 'owner_name', 'policy_arn']).doNothing())
      .execute();
  }
  async detachPolicy(kind: PrincipalKind, owner: string, arn: string): Promise<void> {
    await this.db
      .deleteFrom('policy_attachments')
      .where('owner_kind', '=', kind)
      .where('owner_name', '=', this.key(owner))
      .where('policy_arn', '=', arn)
      .execute();
  }
  async listAttachedPolicies(kind: PrincipalKind, owner: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('policy_attachments')
      .select('policy_arn')
      .where('owner_kind', '=', kind)
      .where('owner_name', '=', this.key(owner))
      .orderBy('seq')
      .execute();
    return rows.map((r) => r.policy_arn);
  }
  async countPolicyAttachments(arn: string): Promise<number> {
    const r = await this.db
      .selectFrom('policy_attachments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('policy_arn', '=', arn)
      .where('account_id', '=', this.account)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async putSession(s: Session): Promise<void> {
    const { secretAccessKey, sessionToken, ...rest } = s;
    await this.db
      .insertInto('sessions')
      .values({
        access_key_id: s.accessKeyId,
        secret: this.box.seal(secretAccessKey),
        token_hash: tokenHash(sessionToken),
        expiration: s.expiration.getTime(),
        data: JSON.stringify({ ...rest, accountId: s.accountId ?? this.account }),
      })
      .execute();
  }
  async getSession(id: string): Promise<Session | undefined> {
    const r = await this.db.selectFrom('sessions').selectAll().where('access_key_id', '=', id).executeTakeFirst();
    if (!r) return undefined;
    const d = JSON.parse(r.data);
    // The token itself is never stored; callers compare sessionTokenHash against the presented token's hash.
    return {
      ...d,
      accountId: d.accountId ?? this.account,
      expiration: new Date(d.expiration),
      createDate: new Date(d.createDate),
      secretAccessKey: this.box.open(r.secret),
      sessionToken: `sha256:${r.token_hash}`,
    };
  }
  async purgeSessions(now: Date): Promise<number> {
    const r = await this.db.deleteFrom('sessions').where('expiration', '<', now.getTime()).executeTakeFirst();
    return Number(r.numDeletedRows ?? 0);
  }
}

/** Compares a presented session token with a stored `sha256:<hex>` value. */
export function sessionTokenMatches(stored: string, presented: string): boolean {
  const want = Buffer.from(stored);
  const got = Buffer.from(`sha256:${tokenHash(presented)}`);
  return want.length === got.length && timingSafeEqual(want, got);
}
