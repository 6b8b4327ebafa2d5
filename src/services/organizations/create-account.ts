/**
 * CreateAccount is asynchronous, as on AWS
 * (https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreateAccount.html): the call
 * persists the request IN_PROGRESS in its own transaction — so an acknowledged request survives a
 * crash — and answers its `car-` id; the account is made a moment later (docs/organizations.md#createaccount).
 * `settleAccountRequests` completes the requests older than CREATE_ACCOUNT_DELAY_MS: it runs at the
 * start of the management account's Organizations calls (so DescribeCreateAccountStatus sees the
 * outcome) and on a timer in the server (src/main.ts), so an account appears even when nobody polls.
 * The request's claim (`completeAccountRequest`, conditional on IN_PROGRESS) and the account it makes
 * commit together, so one request makes at most one account, on any number of nodes. The outcome is
 * recorded as AWS records it, a `CreateAccountResult` service event in the management account's
 * CloudTrail (API_CreateAccount.html: "Check the CloudTrail log for the CreateAccountResult event"),
 * committed with it.
 */
import { provisionAccount } from '../../accounts/provision.ts';
import { javaDate } from '../../audit/parameters.ts';
import type { Ids } from '../../ids.ts';
import type { CreateAccountRequest, Organization, Store, StoredEvent } from '../../store/types.ts';

/** How long a request stays IN_PROGRESS at least. */
export const CREATE_ACCOUNT_DELAY_MS = 500;

/** Completes the due requests (of one organization, or all), in the store's transaction (or a new one). */
export async function settleAccountRequests(store: Store, ids: Ids, now: Date, orgId?: string): Promise<CreateAccountRequest[]> {
  return store.transaction(async (tx) => {
    const due = (await tx.organizations.pendingAccountRequests(new Date(now.getTime() - CREATE_ACCOUNT_DELAY_MS), 50)).filter(
      (q) => orgId === undefined || q.orgId === orgId,
    );
    const done: CreateAccountRequest[] = [];
    const failed = async (q: CreateAccountRequest, failureReason: string, org?: Organization) => {
      if (!(await tx.organizations.completeAccountRequest(q.id, { state: 'FAILED', failureReason, at: now }))) return;
      const completed: CreateAccountRequest = { ...q, state: 'FAILED', failureReason, completedAt: now };
      if (org) await tx.events.append([resultEvent(org, completed, ids.uuid())]);
      done.push(completed);
    };
    for (const q of due) {
      const org = await tx.organizations.get(q.orgId);
      if (!org) {
        await failed(q, 'INTERNAL_FAILURE');
        continue;
      }
      // EMAIL_ALREADY_EXISTS: "another AWS account with that email address already exists" (API_CreateAccountStatus.html)
      if (await tx.accounts.getByEmail(q.email)) {
        await failed(q, 'EMAIL_ALREADY_EXISTS', org);
        continue;
      }
      let accountId = ids.accountId();
      while (await tx.accounts.get(accountId)) accountId = ids.accountId();
      // the claim first: a request another call or node completed meanwhile is left alone
      if (!(await tx.organizations.completeAccountRequest(q.id, { state: 'SUCCEEDED', accountId, at: now }))) continue;
      await provisionAccount(tx, ids, {
        accountId,
        name: q.accountName,
        email: q.email,
        managementAccountId: org.managementAccountId,
        roleName: q.roleName,
        now,
      });
      await tx.organizations.addMember({ accountId, orgId: org.id, parentId: org.rootId, joinedMethod: 'CREATED', joinedAt: now });
      const completed: CreateAccountRequest = { ...q, state: 'SUCCEEDED', accountId, completedAt: now };
      await tx.events.append([resultEvent(org, completed, ids.uuid())]);
      done.push(completed);
    }
    return done;
  });
}

/**
 * The `CreateAccountResult` record: an AwsServiceEvent of organizations.amazonaws.com in the management
 * account, in us-east-1, made by "AWS Internal", the request's status in `serviceEventDetails`
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_cloudtrail-integration.html;
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/non-api-aws-service-events.html). The
 * account name is redacted as every record's sensitive members are (docs/architecture.md#audit).
 */
export function resultEvent(org: Organization, q: CreateAccountRequest, eventId: string): StoredEvent {
  const at = q.completedAt ?? q.requestedAt;
  const record = {
    eventVersion: '1.11',
    userIdentity: { accountId: org.managementAccountId, invokedBy: 'AWS Internal' },
    eventTime: `${at.toISOString().slice(0, 19)}Z`,
    eventSource: 'organizations.amazonaws.com',
    eventName: 'CreateAccountResult',
    awsRegion: 'us-east-1',
    sourceIPAddress: 'AWS Internal',
    userAgent: 'AWS Internal',
    requestParameters: null,
    responseElements: null,
    eventID: eventId,
    readOnly: false,
    eventType: 'AwsServiceEvent',
    managementEvent: true,
    recipientAccountId: org.managementAccountId,
    serviceEventDetails: {
      createAccountStatus: {
        id: q.id,
        state: q.state,
        accountName: 'HIDDEN_DUE_TO_SECURITY_REASONS',
        ...(q.accountId ? { accountId: q.accountId } : {}),
        requestedTimestamp: javaDate(q.requestedAt, true),
        ...(q.completedAt ? { completedTimestamp: javaDate(q.completedAt, true) } : {}),
        ...(q.failureReason ? { failureReason: q.failureReason } : {}),
      },
    },
    eventCategory: 'Management',
  };
  return {
    eventId,
    eventTime: new Date(Math.floor(at.getTime() / 1000) * 1000),
    accountId: org.managementAccountId,
    region: 'us-east-1',
    eventSource: record.eventSource,
    eventName: record.eventName,
    readOnly: false,
    username: null,
    accessKeyId: null,
    resources: [],
    json: JSON.stringify(record),
  };
}

/** The server's timer: completes due requests every `intervalMs` (default 1 s), so accounts appear without polling and requests left by a crash are finished. */
export function startAccountRequests(opts: {
  store: Store;
  ids: Ids;
  clock: () => Date;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
  intervalMs?: number;
}): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return; // a slow round never overlaps the next
    running = settleAccountRequests(opts.store, opts.ids, opts.clock())
      .then(
        (done) => {
          if (done.length) opts.log?.('CreateAccount requests completed', { requests: done.map((q) => q.id) });
        },
        (e) => opts.log?.('CreateAccount requests failed', { error: e instanceof Error ? e.message : String(e) }),
      )
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, opts.intervalMs ?? 1000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
