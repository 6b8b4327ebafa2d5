/** AccountStore and OrganizationStore over Kysely (both dialects): global tables, not scoped to a Store view's account. */
import type { Kysely } from 'kysely';
import type { DB, Row } from './schema.ts';
import type { Account, AccountStore, CreateAccountRequest, Organization, OrganizationalUnit, OrganizationMember, OrganizationStore } from './types.ts';

const toAccount = (r: Row<'accounts'>): Account => ({
  accountId: r.account_id,
  name: r.name,
  email: r.email,
  status: r.status as Account['status'],
  createdAt: new Date(Number(r.created_at)),
});

export class KyselyAccountStore implements AccountStore {
  constructor(private readonly db: Kysely<DB>) {}

  async get(accountId: string): Promise<Account | undefined> {
    const r = await this.db.selectFrom('accounts').selectAll().where('account_id', '=', accountId).executeTakeFirst();
    return r && toAccount(r);
  }
  async getByEmail(email: string): Promise<Account | undefined> {
    const r = await this.db.selectFrom('accounts').selectAll().where('email_lower', '=', email.toLowerCase()).executeTakeFirst();
    return r && toAccount(r);
  }
  async create(a: Account): Promise<boolean> {
    const r = await this.db
      .insertInto('accounts')
      .values({
        account_id: a.accountId,
        name: a.name,
        email: a.email,
        email_lower: a.email.toLowerCase(),
        status: a.status,
        created_at: a.createdAt.getTime(),
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  async list(): Promise<Account[]> {
    return (await this.db.selectFrom('accounts').selectAll().orderBy('created_at').orderBy('account_id').execute()).map(toAccount);
  }
  async setStatus(accountId: string, status: Account['status']): Promise<void> {
    await this.db.updateTable('accounts').set({ status }).where('account_id', '=', accountId).execute();
  }
  async rename(accountId: string, name: string): Promise<void> {
    await this.db.updateTable('accounts').set({ name }).where('account_id', '=', accountId).execute();
  }
}

const toOrganization = (r: Row<'organizations'>): Organization => ({
  id: r.org_id,
  arn: r.arn,
  featureSet: r.feature_set as Organization['featureSet'],
  managementAccountId: r.management_account_id,
  rootId: r.root_id,
  createdAt: new Date(Number(r.created_at)),
});
const toMember = (r: Row<'organization_members'>): OrganizationMember => ({
  accountId: r.account_id,
  orgId: r.org_id,
  parentId: r.parent_id,
  joinedMethod: r.joined_method as OrganizationMember['joinedMethod'],
  joinedAt: new Date(Number(r.joined_at)),
});

const toUnit = (r: Row<'organizational_units'>): OrganizationalUnit => ({
  id: r.ou_id,
  orgId: r.org_id,
  parentId: r.parent_id,
  name: r.name,
  createdAt: new Date(Number(r.created_at)),
});
const toRequest = (r: Row<'create_account_requests'>): CreateAccountRequest => ({
  id: r.request_id,
  orgId: r.org_id,
  accountName: r.account_name,
  email: r.email,
  roleName: r.role_name,
  state: r.state as CreateAccountRequest['state'],
  ...(r.failure_reason !== null ? { failureReason: r.failure_reason } : {}),
  ...(r.account_id !== null ? { accountId: r.account_id } : {}),
  requestedAt: new Date(Number(r.requested_at)),
  ...(r.completed_at !== null ? { completedAt: new Date(Number(r.completed_at)) } : {}),
});

export class KyselyOrganizationStore implements OrganizationStore {
  constructor(private readonly db: Kysely<DB>) {}

  async create(org: Organization, joinedMethod: OrganizationMember['joinedMethod'], at: Date): Promise<boolean> {
    if (await this.ofAccount(org.managementAccountId)) return false;
    await this.db
      .insertInto('organizations')
      .values({
        org_id: org.id,
        arn: org.arn,
        feature_set: org.featureSet,
        management_account_id: org.managementAccountId,
        root_id: org.rootId,
        created_at: org.createdAt.getTime(),
      })
      .execute();
    return this.addMember({ accountId: org.managementAccountId, orgId: org.id, parentId: org.rootId, joinedMethod, joinedAt: at });
  }
  async get(orgId: string): Promise<Organization | undefined> {
    const r = await this.db.selectFrom('organizations').selectAll().where('org_id', '=', orgId).executeTakeFirst();
    return r && toOrganization(r);
  }
  async ofAccount(accountId: string): Promise<{ org: Organization; member: OrganizationMember } | undefined> {
    const m = await this.db.selectFrom('organization_members').selectAll().where('account_id', '=', accountId).executeTakeFirst();
    if (!m) return undefined;
    const org = await this.get(m.org_id);
    return org && { org, member: toMember(m) };
  }
  async delete(orgId: string): Promise<void> {
    await this.db.deleteFrom('organizational_units').where('org_id', '=', orgId).execute();
    await this.db.deleteFrom('create_account_requests').where('org_id', '=', orgId).execute();
    await this.db.deleteFrom('organization_service_access').where('org_id', '=', orgId).execute();
    await this.db.deleteFrom('organization_members').where('org_id', '=', orgId).execute();
    await this.db.deleteFrom('organizations').where('org_id', '=', orgId).execute();
  }
  async addMember(m: OrganizationMember): Promise<boolean> {
    const r = await this.db
      .insertInto('organization_members')
      .values({ account_id: m.accountId, org_id: m.orgId, parent_id: m.parentId, joined_method: m.joinedMethod, joined_at: m.joinedAt.getTime() })
      .onConflict((oc) => oc.column('account_id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  async moveMember(accountId: string, parentId: string): Promise<void> {
    await this.db.updateTable('organization_members').set({ parent_id: parentId }).where('account_id', '=', accountId).execute();
  }
  async removeMember(accountId: string): Promise<void> {
    await this.db.deleteFrom('organization_members').where('account_id', '=', accountId).execute();
  }
  async listMembers(orgId: string, opts: { parentId?: string } = {}): Promise<OrganizationMember[]> {
    let q = this.db.selectFrom('organization_members').selectAll().where('org_id', '=', orgId);
    if (opts.parentId !== undefined) q = q.where('parent_id', '=', opts.parentId);
    return (await q.orderBy('joined_at').orderBy('account_id').execute()).map(toMember);
  }
  async enableServiceAccess(orgId: string, servicePrincipal: string, at: Date): Promise<void> {
    await this.db
      .insertInto('organization_service_access')
      .values({ org_id: orgId, service_principal: servicePrincipal, enabled_at: at.getTime() })
      .onConflict((oc) => oc.columns(['org_id', 'service_principal']).doNothing())
      .execute();
  }
  async disableServiceAccess(orgId: string, servicePrincipal: string): Promise<void> {
    await this.db.deleteFrom('organization_service_access').where('org_id', '=', orgId).where('service_principal', '=', servicePrincipal).execute();
  }
  async listServiceAccess(orgId: string): Promise<{ servicePrincipal: string; enabledAt: Date }[]> {
    const rows = await this.db.selectFrom('organization_service_access').selectAll().where('org_id', '=', orgId).orderBy('service_principal').execute();
    return rows.map((r) => ({ servicePrincipal: r.service_principal, enabledAt: new Date(Number(r.enabled_at)) }));
  }

  /** Whether `parentId` holds an OU named `name` (any case) other than `exceptId`. */
  private async siblingNamed(orgId: string, parentId: string, name: string, exceptId?: string): Promise<boolean> {
    const rows = await this.db
      .selectFrom('organizational_units')
      .select(['ou_id', 'name'])
      .where('org_id', '=', orgId)
      .where('parent_id', '=', parentId)
      .execute();
    return rows.some((r) => r.ou_id !== exceptId && r.name.toLowerCase() === name.toLowerCase());
  }
  async createUnit(ou: OrganizationalUnit): Promise<boolean> {
    if (await this.siblingNamed(ou.orgId, ou.parentId, ou.name)) return false;
    const r = await this.db
      .insertInto('organizational_units')
      .values({ ou_id: ou.id, org_id: ou.orgId, parent_id: ou.parentId, name: ou.name, created_at: ou.createdAt.getTime() })
      .onConflict((oc) => oc.column('ou_id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  async getUnit(ouId: string): Promise<OrganizationalUnit | undefined> {
    const r = await this.db.selectFrom('organizational_units').selectAll().where('ou_id', '=', ouId).executeTakeFirst();
    return r && toUnit(r);
  }
  async listUnits(orgId: string, opts: { parentId?: string } = {}): Promise<OrganizationalUnit[]> {
    let q = this.db.selectFrom('organizational_units').selectAll().where('org_id', '=', orgId);
    if (opts.parentId !== undefined) q = q.where('parent_id', '=', opts.parentId);
    return (await q.orderBy('created_at').orderBy('ou_id').execute()).map(toUnit);
  }
  async renameUnit(ouId: string, name: string): Promise<boolean> {
    const ou = await this.getUnit(ouId);
    if (!ou) return false;
    if (await this.siblingNamed(ou.orgId, ou.parentId, name, ouId)) return false;
    await this.db.updateTable('organizational_units').set({ name }).where('ou_id', '=', ouId).execute();
    return true;
  }
  async deleteUnit(ouId: string): Promise<void> {
    await this.db.deleteFrom('organizational_units').where('ou_id', '=', ouId).execute();
  }
  async createAccountRequest(q: CreateAccountRequest): Promise<void> {
    await this.db
      .insertInto('create_account_requests')
      .values({
        request_id: q.id,
        org_id: q.orgId,
        account_name: q.accountName,
        email: q.email,
        role_name: q.roleName,
        state: q.state,
        failure_reason: q.failureReason ?? null,
        account_id: q.accountId ?? null,
        requested_at: q.requestedAt.getTime(),
        completed_at: q.completedAt?.getTime() ?? null,
      })
      .execute();
  }
  async getAccountRequest(requestId: string): Promise<CreateAccountRequest | undefined> {
    const r = await this.db.selectFrom('create_account_requests').selectAll().where('request_id', '=', requestId).executeTakeFirst();
    return r && toRequest(r);
  }
  async listAccountRequests(orgId: string, opts: { states?: CreateAccountRequest['state'][] } = {}): Promise<CreateAccountRequest[]> {
    let q = this.db.selectFrom('create_account_requests').selectAll().where('org_id', '=', orgId);
    if (opts.states) {
      if (opts.states.length === 0) return [];
      q = q.where('state', 'in', opts.states);
    }
    return (await q.orderBy('requested_at', 'desc').orderBy('request_id', 'desc').execute()).map(toRequest);
  }
  async pendingAccountRequests(before: Date, limit: number): Promise<CreateAccountRequest[]> {
    const rows = await this.db
      .selectFrom('create_account_requests')
      .selectAll()
      .where('state', '=', 'IN_PROGRESS')
      .where('requested_at', '<=', before.getTime())
      .orderBy('requested_at')
      .orderBy('request_id')
      .limit(limit)
      .execute();
    return rows.map(toRequest);
  }
  async completeAccountRequest(
    requestId: string,
    outcome: { state: 'SUCCEEDED'; accountId: string; at: Date } | { state: 'FAILED'; failureReason: string; at: Date },
  ): Promise<boolean> {
    const r = await this.db
      .updateTable('create_account_requests')
      .set({
        state: outcome.state,
        account_id: outcome.state === 'SUCCEEDED' ? outcome.accountId : null,
        failure_reason: outcome.state === 'FAILED' ? outcome.failureReason : null,
        completed_at: outcome.at.getTime(),
      })
      .where('request_id', '=', requestId)
      .where('state', '=', 'IN_PROGRESS')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
