/**
 * ProjectStore over Kysely (both dialects): AWS CodeStar projects, tags, team members, resources, user
 * profiles and idempotent calls (https://docs.aws.amazon.com/codestar/latest/APIReference/Welcome.html). A project's sourceCode/toolchain may hold
 * a GitHub token and sensitive stack parameters, so it is sealed with the SecretBox before it is written.
 */
import type { Kysely } from 'kysely';
import { compiled } from './compiled.ts';
import type { DB, Row } from './schema.ts';
import type { SecretBox } from './secret-box.ts';
import type { IdempotentCall, Project, ProjectRole, ProjectStore, Seq, TeamMember, UserProfile } from './types.ts';

const PAGE = 1000;

/** DescribeProject and every project-scoped call read the project (compiled.ts) */
const projectById = compiled((db, id: string, account: string) => db.selectFrom('projects').selectAll().where('id', '=', id).where('account_id', '=', account));
/** authorizing a call on a project reads its tags (services/codestar/access.ts) */
const tagsPage = compiled((db, id: string, after: number, limit: number) =>
  db.selectFrom('project_tags').selectAll().where('project_id', '=', id).where('seq', '>', after).orderBy('seq').limit(limit),
);

/** A second node wrote first (SQLite WAL): this transaction's snapshot is stale, so its write lost the race. */
const lostRace = (e: unknown) => typeof (e as { code?: unknown })?.code === 'string' && (e as { code: string }).code.startsWith('SQLITE_BUSY');

export class KyselyProjectStore implements ProjectStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly box: SecretBox,
    /** the account whose projects, profiles and idempotent calls this view sees (docs/accounts.md#storage) */
    private readonly account: string,
  ) {}

  private toProject(r: Row<'projects'>): Seq<Project> {
    return {
      seq: Number(r.seq),
      id: r.id,
      arn: r.arn,
      name: r.name,
      creatorArn: r.creator_arn,
      state: r.state,
      createdAt: new Date(Number(r.created_at)),
      version: Number(r.version),
      ...(r.description !== null ? { description: r.description } : {}),
      ...(r.client_request_token !== null ? { clientRequestToken: r.client_request_token } : {}),
      ...(r.source !== null ? { source: JSON.parse(this.box.open(r.source)) } : {}),
    };
  }
  async get(id: string): Promise<Project | undefined> {
    const [r] = await projectById(this.db, id, this.account);
    if (!r) return undefined;
    const { seq: _, ...p } = this.toProject(r);
    return p;
  }
  async create(p: Project): Promise<boolean> {
    const r = await this.db
      .insertInto('projects')
      .values({
        id: p.id,
        account_id: this.account,
        arn: p.arn,
        name: p.name,
        description: p.description ?? null,
        client_request_token: p.clientRequestToken ?? null,
        creator_arn: p.creatorArn,
        state: p.state,
        created_at: p.createdAt.getTime(),
        version: p.version,
        source: p.source ? this.box.seal(JSON.stringify(p.source)) : null,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }
  async bump(id: string, expected?: number): Promise<boolean> {
    let q = this.db
      .updateTable('projects')
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('account_id', '=', this.account);
    if (expected !== undefined) q = q.where('version', '=', expected);
    try {
      return Number((await q.executeTakeFirst()).numUpdatedRows) > 0;
    } catch (e) {
      if (lostRace(e)) return false;
      throw e;
    }
  }
  async update(id: string, f: { name?: string; description?: string }): Promise<void> {
    const set = { ...(f.name !== undefined ? { name: f.name } : {}), ...(f.description !== undefined ? { description: f.description } : {}) };
    if (Object.keys(set).length) await this.db.updateTable('projects').set(set).where('id', '=', id).where('account_id', '=', this.account).execute();
  }
  async delete(id: string): Promise<void> {
    if (!(await this.get(id))) return;
    for (const table of ['project_tags', 'project_members', 'project_resources'] as const)
      await this.db.deleteFrom(table).where('project_id', '=', id).execute();
    await this.db.deleteFrom('projects').where('id', '=', id).execute();
  }
  async count(): Promise<number> {
    const r = await this.db
      .selectFrom('projects')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', this.account)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }
  async list(after: number | undefined, limit: number): Promise<Seq<Project>[]> {
    const rows = await this.db
      .selectFrom('projects')
      .selectAll()
      .where('account_id', '=', this.account)
      .where('seq', '>', after ?? 0)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((r) => this.toProject(r));
  }

  async putTags(id: string, tags: Record<string, string>): Promise<void> {
    for (const [key, value] of Object.entries(tags)) {
      await this.db
        .insertInto('project_tags')
        .values({ project_id: id, tag_key: key, tag_value: value })
        .onConflict((oc) => oc.columns(['project_id', 'tag_key']).doUpdateSet({ tag_value: value }))
        .execute();
    }
  }
  async removeTags(id: string, keys: string[]): Promise<void> {
    if (keys.length) await this.db.deleteFrom('project_tags').where('project_id', '=', id).where('tag_key', 'in', keys).execute();
  }
  async listTags(id: string, after?: number, limit = PAGE): Promise<Seq<{ key: string; value: string }>[]> {
    const rows = await tagsPage(this.db, id, after ?? 0, limit);
    return rows.map((r) => ({ seq: Number(r.seq), key: r.tag_key, value: r.tag_value }));
  }

  private toMember(r: Row<'project_members'>): Seq<TeamMember> {
    return {
      seq: Number(r.seq),
      projectId: r.project_id,
      userArn: r.user_arn,
      projectRole: r.project_role as ProjectRole,
      remoteAccessAllowed: Number(r.remote_access) === 1,
    };
  }
  async addMember(m: TeamMember): Promise<void> {
    await this.db
      .insertInto('project_members')
      .values({ project_id: m.projectId, user_arn: m.userArn, project_role: m.projectRole, remote_access: m.remoteAccessAllowed ? 1 : 0 })
      .execute();
  }
  async getMember(projectId: string, userArn: string): Promise<TeamMember | undefined> {
    const r = await this.db.selectFrom('project_members').selectAll().where('project_id', '=', projectId).where('user_arn', '=', userArn).executeTakeFirst();
    if (!r) return undefined;
    const { seq: _, ...m } = this.toMember(r);
    return m;
  }
  async updateMember(m: TeamMember): Promise<void> {
    await this.db
      .updateTable('project_members')
      .set({ project_role: m.projectRole, remote_access: m.remoteAccessAllowed ? 1 : 0 })
      .where('project_id', '=', m.projectId)
      .where('user_arn', '=', m.userArn)
      .execute();
  }
  async removeMember(projectId: string, userArn: string): Promise<void> {
    await this.db.deleteFrom('project_members').where('project_id', '=', projectId).where('user_arn', '=', userArn).execute();
  }
  async listMembers(projectId: string, after?: number, limit = PAGE): Promise<Seq<TeamMember>[]> {
    const rows = await this.db
      .selectFrom('project_members')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('seq', '>', after ?? 0)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((r) => this.toMember(r));
  }
  async countMembers(projectId: string): Promise<number> {
    const r = await this.db
      .selectFrom('project_members')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }
  async countMemberships(userArn: string): Promise<number> {
    const r = await this.db
      .selectFrom('project_members')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_arn', '=', userArn)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async addResource(projectId: string, arn: string): Promise<void> {
    await this.db
      .insertInto('project_resources')
      .values({ project_id: projectId, arn })
      .onConflict((oc) => oc.columns(['project_id', 'arn']).doNothing())
      .execute();
  }
  async listResources(projectId: string, after?: number, limit = PAGE): Promise<Seq<{ arn: string }>[]> {
    const rows = await this.db
      .selectFrom('project_resources')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('seq', '>', after ?? 0)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ seq: Number(r.seq), arn: r.arn }));
  }

  private toProfile(r: Row<'user_profiles'>): Seq<UserProfile> {
    return {
      seq: Number(r.seq),
      userArn: r.user_arn,
      displayName: r.display_name,
      emailAddress: r.email_address,
      createdAt: new Date(Number(r.created_at)),
      lastModifiedAt: new Date(Number(r.updated_at)),
      ...(r.ssh_public_key !== null ? { sshPublicKey: r.ssh_public_key } : {}),
    };
  }
  async getProfile(userArn: string): Promise<UserProfile | undefined> {
    const r = await this.db.selectFrom('user_profiles').selectAll().where('user_arn', '=', userArn).executeTakeFirst();
    if (!r) return undefined;
    const { seq: _, ...p } = this.toProfile(r);
    return p;
  }
  async createProfile(p: UserProfile): Promise<boolean> {
    const r = await this.db
      .insertInto('user_profiles')
      .values({
        user_arn: p.userArn,
        display_name: p.displayName,
        email_address: p.emailAddress,
        ssh_public_key: p.sshPublicKey ?? null,
        created_at: p.createdAt.getTime(),
        updated_at: p.lastModifiedAt.getTime(),
      })
      .onConflict((oc) => oc.column('user_arn').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }
  async updateProfile(p: UserProfile): Promise<void> {
    await this.db
      .updateTable('user_profiles')
      .set({ display_name: p.displayName, email_address: p.emailAddress, ssh_public_key: p.sshPublicKey ?? null, updated_at: p.lastModifiedAt.getTime() })
      .where('user_arn', '=', p.userArn)
      .execute();
  }
  async deleteProfile(userArn: string): Promise<void> {
    await this.db.deleteFrom('user_profiles').where('user_arn', '=', userArn).execute();
  }
  async listProfiles(after: number | undefined, limit: number): Promise<Seq<UserProfile>[]> {
    const rows = await this.db
      .selectFrom('user_profiles')
      .selectAll()
      // profiles are keyed by user ARN, which names the account
      .where((eb) => eb(eb.fn('substr', ['user_arn', eb.val(1), eb.val(this.arnPrefix.length)]), '=', this.arnPrefix))
      .where('seq', '>', after ?? 0)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((r) => this.toProfile(r));
  }

  private get arnPrefix(): string {
    return `arn:aws:iam::${this.account}:`;
  }

  /** Idempotency tokens are per account: stored qualified as `<account>/<token>` (migrations/018-accounts.ts). */
  async getCall(operation: string, token: string): Promise<IdempotentCall | undefined> {
    const r = await this.db
      .selectFrom('codestar_calls')
      .selectAll()
      .where('operation', '=', operation)
      .where('token', '=', `${this.account}/${token}`)
      .executeTakeFirst();
    return r && { operation: r.operation, token, inputHash: r.input_hash, result: r.result, createdAt: new Date(Number(r.created_at)) };
  }
  async putCall(c: IdempotentCall): Promise<void> {
    await this.db
      .insertInto('codestar_calls')
      .values({ operation: c.operation, token: `${this.account}/${c.token}`, input_hash: c.inputHash, result: c.result, created_at: c.createdAt.getTime() })
      .execute();
  }
}
