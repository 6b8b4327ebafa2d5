/**
 * The credential report (GenerateCredentialReport, GetCredentialReport) and GetAccountSummary
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html ;
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountSummary.html). The report is AWS's CSV: the
 * root user's row (`<root_account>`), then one row per user, with AWS's columns; access keys' last use
 * comes from the audit trail (last-used.ts). GetAccountSummary counts what the store holds, with IAM's
 * default quotas (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html), including the
 * role keys real answers carry beyond the model's enum (Roles, RolesQuota, …). startrail has no passwords, MFA devices or signing
 * certificates, so those columns say so as AWS does for a user without them (`false`, `N/A`). A
 * report is made at once and kept for 4 hours: GenerateCredentialReport answers STARTED when it makes
 * one and COMPLETE while a recent one exists; GetCredentialReport without one is ReportNotPresent,
 * with one older than 4 hours ReportExpired.
 */
import type { AccessKey } from '../../store/types.ts';
import type { OperationDefs, OperationContext } from '../types.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { anyResource, on } from './access.ts';
import { QUOTAS } from './documents.ts';
import { reportExpired, reportNotPresent } from './errors.ts';
import { keyLastUsed } from './last-used.ts';

const REPORT_KEY = 'iam/credential-report';
const REPORT_LIFETIME_MS = 4 * 3600 * 1000;

export const REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;

/** ISO 8601 as the report writes it: seconds, `+00:00`. */
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, '+00:00');

async function keyColumns(ctx: OperationContext, key: AccessKey | undefined): Promise<string[]> {
  if (!key) return ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
  const used = await keyLastUsed(ctx.store, key.accessKeyId);
  return [String(key.status === 'Active'), iso(key.createDate), used ? iso(used.date) : 'N/A', used?.region ?? 'N/A', used?.service ?? 'N/A'];
}

/** The report's CSV text, as of now. */
export async function buildCredentialReport(ctx: OperationContext): Promise<string> {
  const ids = ctx.store.identities;
  const rows: string[][] = [[...REPORT_COLUMNS]];
  const rootKeys = await ids.listAccessKeys(null);
  const rootCreated = rootKeys.reduce<Date | undefined>((d, k) => (!d || k.createDate < d ? k.createDate : d), undefined) ?? ctx.now;
  rows.push([
    '<root_account>',
    `arn:aws:iam::${ctx.accountId}:root`,
    iso(rootCreated),
    'not_supported',
    'no_information',
    'not_supported',
    'not_supported',
    'false',
    ...(await keyColumns(ctx, rootKeys[0])),
    ...(await keyColumns(ctx, rootKeys[1])),
    'false',
    'N/A',
    'false',
    'N/A',
  ]);
  for (let after: string | undefined; ; ) {
    const users = await ids.listUsers({ limit: 100, ...(after ? { after } : {}) });
    for (const u of users) {
      const keys = await ids.listAccessKeys(u.userName);
      rows.push([
        u.userName,
        u.arn,
        iso(u.createDate),
        'false',
        'N/A',
        'N/A',
        'N/A',
        'false',
        ...(await keyColumns(ctx, keys[0])),
        ...(await keyColumns(ctx, keys[1])),
        'false',
        'N/A',
        'false',
        'N/A',
      ]);
    }
    if (users.length < 100) break;
    after = users[users.length - 1]?.userName;
  }
  return rows.map((r) => r.join(',')).join('\n');
}

interface StoredReport {
  generatedAt: number;
  csv: string;
}

async function storedReport(ctx: OperationContext): Promise<StoredReport | undefined> {
  const text = await ctx.store.kv.get(REPORT_KEY);
  return text ? (JSON.parse(text) as StoredReport) : undefined;
}

export const credentialReport = {
  GenerateCredentialReport: {
    readOnly: false,
    authorize: on('GenerateCredentialReport', anyResource),
    async handler(_input, ctx): Promise<Output<'GenerateCredentialReport'>> {
      const current = await storedReport(ctx);
      if (current && ctx.now.getTime() - current.generatedAt < REPORT_LIFETIME_MS) return { State: 'COMPLETE' };
      const report: StoredReport = { generatedAt: Math.floor(ctx.now.getTime() / 1000) * 1000, csv: await buildCredentialReport(ctx) };
      await ctx.store.kv.put(REPORT_KEY, JSON.stringify(report));
      return { State: 'STARTED', Description: 'No report exists. Starting a new report generation task' };
    },
  },

  GetCredentialReport: {
    readOnly: true,
    authorize: on('GetCredentialReport', anyResource),
    async handler(_input, ctx): Promise<Output<'GetCredentialReport'>> {
      const report = await storedReport(ctx);
      if (!report) throw reportNotPresent();
      if (ctx.now.getTime() - report.generatedAt >= REPORT_LIFETIME_MS) throw reportExpired();
      return { Content: Buffer.from(report.csv, 'utf8'), ReportFormat: 'text/csv', GeneratedTime: new Date(report.generatedAt) };
    },
  },

  GetAccountSummary: {
    readOnly: true,
    authorize: on('GetAccountSummary', anyResource),
    async handler(_input, ctx): Promise<Output<'GetAccountSummary'>> {
      const ids = ctx.store.identities;
      const count = async <T>(list: (o: { after?: string; limit: number }) => Promise<T[]>, name: (t: T) => string) => {
        let n = 0;
        for (let after: string | undefined; ; ) {
          const page = await list({ limit: 500, ...(after ? { after } : {}) });
          n += page.length;
          const last = page[page.length - 1];
          if (page.length < 500 || !last) return n;
          after = name(last);
        }
      };
      const policies = await ids.listManagedPolicies({});
      let versions = 0;
      for (const p of policies) versions += (await ids.listPolicyVersions(p.arn)).length;
      const rootKeys = await ids.listAccessKeys(null);
      return {
        SummaryMap: {
          Users: await count(
            (o) => ids.listUsers(o),
            (u) => u.userName,
          ),
          UsersQuota: 5000,
          Groups: await count(
            (o) => ids.listGroups(o),
            (g) => g.groupName,
          ),
          GroupsQuota: QUOTAS.groupsPerAccount,
          Roles: await count(
            (o) => ids.listRoles(o),
            (r) => r.roleName,
          ),
          RolesQuota: 1000,
          RolePolicySizeQuota: QUOTAS.inlineRole,
          AssumeRolePolicySizeQuota: QUOTAS.trustPolicy,
          InstanceProfiles: 0,
          InstanceProfilesQuota: 1000,
          Providers: 0,
          Policies: policies.length,
          PoliciesQuota: 1500,
          PolicySizeQuota: QUOTAS.managedPolicy,
          PolicyVersionsInUse: versions,
          PolicyVersionsInUseQuota: 10000,
          VersionsPerPolicyQuota: 5,
          UserPolicySizeQuota: QUOTAS.inlineUser,
          GroupPolicySizeQuota: QUOTAS.inlineGroup,
          GroupsPerUserQuota: QUOTAS.groupsPerUser,
          AccessKeysPerUserQuota: QUOTAS.accessKeysPerUser,
          AttachedPoliciesPerUserQuota: QUOTAS.policiesPerUser,
          AttachedPoliciesPerGroupQuota: QUOTAS.policiesPerGroup,
          AttachedPoliciesPerRoleQuota: QUOTAS.policiesPerRole,
          AccountAccessKeysPresent: rootKeys.length ? 1 : 0,
          AccountMFAEnabled: 0,
          AccountSigningCertificatesPresent: 0,
          MFADevices: 0,
          MFADevicesInUse: 0,
          ServerCertificates: 0,
          ServerCertificatesQuota: 20,
          SigningCertificatesPerUserQuota: 2,
          GlobalEndpointTokenVersion: 1,
        },
      };
    },
  },
} satisfies OperationDefs<Ops, 'GenerateCredentialReport' | 'GetCredentialReport' | 'GetAccountSummary'>;
