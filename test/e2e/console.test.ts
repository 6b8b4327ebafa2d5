/**
 * The web console in a real browser (playwright-core + Debian's chromium; docs/architecture.md#console): sign in, create a
 * project, build its team, update it, find those calls in Event history by filter, open one, download
 * CSV and JSON, see trails with their status, and an IAM user's own profile. What the console did is
 * checked with the official clients. A screenshot of each page goes to test/e2e/screenshots/.
 * Security cases (CSRF, hostile strings, denied actions, failed sign-in): console-security.test.ts.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CodeStarClient, CreateProjectCommand, DescribeProjectCommand, ListTeamMembersCommand } from '@aws-sdk/client-codestar';
import {
  IAMClient,
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  PutGroupPolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CHROMIUM, signIn } from './helpers/browser.ts';
import { startServer, type Credentials, type TestServer } from './helpers/server.ts';
import { awsCli, sdkConfig } from './helpers/clients.ts';
import { cloudTrailBucketPolicy } from './helpers/delivery.ts';
import { sdkLookup } from './helpers/history.ts';

const ACCOUNT = '000000000000';
const SHOTS = new URL('./screenshots/', import.meta.url).pathname;

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let anna: Credentials;
let codestar: CodeStarClient;

/** A full-page screenshot, without the transient toasts. */
async function shot(p: Page, name: string): Promise<void> {
  await p.evaluate(() => document.querySelector('.toasts')?.replaceChildren());
  await p.screenshot({ path: `${SHOTS}console-${name}.png`, fullPage: true });
}
const record = (e: { CloudTrailEvent?: string }) => JSON.parse(e.CloudTrailEvent ?? '{}');

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer();
  codestar = new CodeStarClient(sdkConfig(server.endpoint, server.root));
  const iam = new IAMClient(sdkConfig(server.endpoint, server.root));
  for (const UserName of ['anna', 'bob']) await iam.send(new CreateUserCommand({ UserName }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'anna' }))).AccessKey!;
  anna = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  // anna's permissions come from her own inline policy (reading her groups and policies), a group with
  // an AWS managed and an inline policy, under a permissions boundary
  const allow = (Action: string[], Resource: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action, Resource }] });
  await iam.send(
    new PutUserPolicyCommand({
      UserName: 'anna',
      PolicyName: 'read-own-iam',
      PolicyDocument: allow(
        ['iam:GetUser', 'iam:ListGroupsForUser', 'iam:ListUserPolicies', 'iam:ListAttachedUserPolicies'],
        `arn:aws:iam::${ACCOUNT}:user/\${aws:username}`,
      ),
    }),
  );
  await iam.send(new CreateGroupCommand({ GroupName: 'developers' }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'developers', UserName: 'anna' }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'developers', PolicyArn: 'arn:aws:iam::aws:policy/AWSCodeStarFullAccess' }));
  await iam.send(
    new PutGroupPolicyCommand({
      GroupName: 'developers',
      PolicyName: 'read-group-policies',
      PolicyDocument: allow(['iam:ListGroupPolicies', 'iam:ListAttachedGroupPolicies'], `arn:aws:iam::${ACCOUNT}:group/*`),
    }),
  );
  const boundary = await iam.send(new CreatePolicyCommand({ PolicyName: 'dev-boundary', PolicyDocument: allow(['*'], '*') }));
  await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'anna', PermissionsBoundary: boundary.Policy!.Arn! }));
  for (const args of [
    ['s3', 'mb', 's3://console-logs'],
    ['s3api', 'put-bucket-policy', '--bucket', 'console-logs', '--policy', cloudTrailBucketPolicy('console-logs', ACCOUNT)],
  ]) {
    const r = awsCli(server.endpoint, server.root, args);
    assert.equal(r.status, 0, r.stderr);
  }
  const trails = new CloudTrailClient(sdkConfig(server.endpoint, server.root));
  await trails.send(new CreateTrailCommand({ Name: 'org-audit', S3BucketName: 'console-logs', IsMultiRegionTrail: true, EnableLogFileValidation: true }));
  await trails.send(new StartLoggingCommand({ Name: 'org-audit' }));
  await trails.send(new CreateTrailCommand({ Name: 'paused-trail', S3BucketName: 'console-logs' }));
  browser = await chromium.launch(CHROMIUM);
  context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1360, height: 860 } });
  page = await context.newPage();
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

test('sign in as root: a session cookie (HttpOnly, SameSite=Strict), no secret in the page, ConsoleLogin recorded', async () => {
  await page.goto(`${server.endpoint}/console/`);
  await page.getByLabel('Access key ID').waitFor();
  await shot(page, 'signin');
  await signIn(page, server.endpoint, server.root);
  await page.getByRole('heading', { name: 'Projects' }).waitFor();
  const [cookie, ...others] = (await context.cookies()).filter((c) => c.name === 'startrail_console');
  assert.equal(others.length, 0);
  assert.equal(cookie!.httpOnly, true);
  assert.equal(cookie!.sameSite, 'Strict');
  assert.equal(cookie!.path, '/console');
  assert.ok(!(await page.content()).includes(server.root.secretAccessKey));
  assert.equal(await page.evaluate(() => document.cookie), '', 'the session cookie is not readable by scripts');
  const logins = (await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'EventName', AttributeValue: 'ConsoleLogin' }])).map(record);
  const ok = logins.find((r) => r.responseElements?.ConsoleLogin === 'Success');
  assert.ok(ok, 'a ConsoleLogin Success record');
  assert.equal(ok.eventSource, 'signin.amazonaws.com');
  assert.equal(ok.eventType, 'AwsConsoleSignIn');
  assert.equal(ok.userIdentity.type, 'Root');
  assert.equal(ok.additionalEventData.MFAUsed, 'No');
  assert.equal(ok.requestID, undefined);
});

test('create a project: the dialog suggests an id from the name; CreateProject is made with the console session', async () => {
  await page.getByRole('button', { name: 'Create project' }).first().click();
  await page.getByLabel('Project name').fill('Payments API');
  assert.equal(await page.getByLabel('Project ID').inputValue(), 'payments-api');
  await page.getByLabel('Description').fill('Card payments for the web shop');
  await shot(page, 'create');
  await page.getByRole('dialog').getByRole('button', { name: 'Create project' }).click();
  await page.locator('h1.project-name', { hasText: 'Payments API' }).waitFor();
  const p = await codestar.send(new DescribeProjectCommand({ id: 'payments-api' }));
  assert.equal(p.name, 'Payments API');
  assert.equal(p.description, 'Card payments for the web shop');
});

test('the team: add two members, change a role, remove one', async () => {
  const addMember = async (user: string, role: string) => {
    await page.getByRole('button', { name: 'Add team member' }).click();
    await page.getByLabel('IAM user').fill(user);
    await page.getByLabel('Project role').selectOption(role);
    await page.getByRole('button', { name: 'Add to team' }).click();
    await page.locator(`tr[data-member$="user/${user.replace(/^.*\//, '')}"]`).waitFor();
  };
  await addMember('anna', 'Contributor');
  await addMember(`arn:aws:iam::${ACCOUNT}:user/bob`, 'Viewer');
  await page.getByLabel('Role of anna').selectOption('Viewer');
  await page.getByRole('status').getByText('Role changed to Viewer').waitFor();
  await page.locator('tr[data-member$="user/bob"]').getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('button', { name: 'Remove member' }).click();
  await page.locator('tr[data-member$="user/bob"]').waitFor({ state: 'detached' });
  await shot(page, 'team');
  const { teamMembers } = await codestar.send(new ListTeamMembersCommand({ projectId: 'payments-api' }));
  const roles = Object.fromEntries(teamMembers!.map((m) => [m.userArn!.replace(/^.*\//, ''), m.projectRole]));
  assert.equal(roles.anna, 'Viewer');
  assert.equal(roles.bob, undefined);
});

test('update the project in Settings; its resources and the projects list', async () => {
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Project name').fill('Payments API v2');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.locator('h1.project-name', { hasText: 'Payments API v2' }).waitFor();
  await shot(page, 'settings');
  assert.equal((await codestar.send(new DescribeProjectCommand({ id: 'payments-api' }))).name, 'Payments API v2');
  await page.getByRole('link', { name: 'Resources' }).click();
  await page.getByText(`arn:aws:iam::${ACCOUNT}:policy/CodeStar_payments-api_Owner`).waitFor();
  await shot(page, 'resources');
  await page.getByRole('link', { name: 'Projects', exact: true }).first().click();
  await page.locator('tr[data-project="payments-api"]').waitFor();
  await shot(page, 'projects');
});

test('Event history: the console’s calls found by filter, newest first; one opened with its record', async () => {
  await page.getByRole('link', { name: 'Event history' }).click();
  await page.locator('table.events').waitFor();
  await page.getByLabel('Lookup attribute').selectOption('EventName');
  await page.getByLabel('Attribute value').fill('AssociateTeamMember');
  await page.getByRole('button', { name: 'Add filter' }).click();
  await page.getByRole('button', { name: '30 min' }).click();
  const rows = page.locator('table.events tbody tr');
  await page.waitForFunction(() => document.querySelectorAll('table.events tbody tr').length === 2);
  assert.deepEqual(await rows.locator('td[data-col="EventName"] a').allTextContents(), ['AssociateTeamMember', 'AssociateTeamMember']);
  assert.deepEqual(await rows.locator('td[data-col="Username"]').allTextContents(), ['root', 'root']);
  assert.match(page.url(), /EventName=AssociateTeamMember&range=30m/);
  await shot(page, 'events');
  await rows.first().locator('td[data-col="EventName"] a').click();
  await page.locator('h1.event-name', { hasText: 'AssociateTeamMember' }).waitFor();
  const json = await page.locator('pre.json').textContent();
  const r = JSON.parse(json!);
  assert.equal(r.sessionCredentialFromConsole, 'true');
  assert.match(r.userAgent, /^startrail-console\/\S+ \(Mozilla\/5\.0 /);
  assert.equal(r.requestParameters.userArn, `arn:aws:iam::${ACCOUNT}:user/bob`, 'newest first: bob was added last');
  assert.equal(r.userIdentity.type, 'Root');
  assert.match(r.userIdentity.accessKeyId, /^ASIA/, 'signed with the console session, not the root key');
  await page.getByText('From the console').waitFor();
  await shot(page, 'event');
  await page.locator('.crumbs a', { hasText: 'Event history' }).click();
  await page.waitForFunction(() => document.querySelectorAll('table.events tbody tr').length === 2);
});

test('Event history: columns toggle, pages of 10 newest first, a custom time range', async () => {
  await page.goto(`${server.endpoint}/console/events`);
  await page.locator('table.events').waitFor();
  await page.getByRole('button', { name: 'Columns' }).click();
  await page.getByRole('dialog', { name: 'Columns' }).getByLabel('AWS access key').check();
  await page.getByRole('dialog', { name: 'Columns' }).getByLabel('Error code').check();
  await page.locator('th', { hasText: 'AWS access key' }).waitFor();
  await shot(page, 'columns');
  await page.keyboard.press('Escape');
  await page.getByRole('dialog', { name: 'Columns' }).waitFor({ state: 'detached' });
  await page.getByLabel('Events per page').selectOption('10');
  await page.waitForFunction(() => document.querySelectorAll('table.events tbody tr').length === 10);
  const ids = () => page.locator('table.events tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.eventId));
  const first = await ids();
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.getByText('Page 2').waitFor();
  await page.waitForFunction((before) => document.querySelector('table.events tbody tr')?.getAttribute('data-event-id') !== before, first[0]);
  const second = await ids();
  assert.equal(second.filter((id) => first.includes(id)).length, 0, 'page 2 holds other events');
  const all = (await sdkLookup(server.endpoint, server.root, [])).map((e) => e.EventId);
  assert.deepEqual([...first, ...second], all.slice(all.indexOf(first[0]), all.indexOf(first[0]) + 20), 'newest first, as LookupEvents orders them');
  await page.getByRole('button', { name: 'Previous page' }).click();
  await page.waitForFunction((id) => document.querySelector('table.events tbody tr')?.getAttribute('data-event-id') === id, first[0]);
  await page.getByRole('button', { name: 'Custom' }).click();
  await page.getByLabel('Start time').fill('2020-01-01T00:00');
  await page.getByLabel('End time').fill('2020-01-02T00:00');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.getByText('No events match').waitFor();
  assert.match(page.url(), /range=custom&start=2020-01-01T00%3A00&end=2020-01-02T00%3A00/);
  await page.getByLabel('Events per page').selectOption('50');
});

test('download the current filter as CSV and as JSON', async () => {
  await page.goto(`${server.endpoint}/console/events?EventName=AssociateTeamMember&range=1h`);
  await page.waitForFunction(() => document.querySelectorAll('table.events tbody tr').length === 2);
  const fetchFile = async (label: string) => {
    await page.getByRole('button', { name: 'Download', exact: true }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: label }).click()]);
    return { name: download.suggestedFilename(), text: readFileSync((await download.path())!, 'utf8') };
  };
  const csv = await fetchFile('Download CSV');
  assert.match(csv.name, /^event-history-.*\.csv$/);
  const lines = csv.text.trimEnd().split('\r\n');
  assert.equal(
    lines[0],
    '"Event ID","Event time","User name","Event name","Event source","Resource type","Resource name","AWS access key","AWS region","Error code","Source IP address","Read-only"',
  );
  assert.equal(lines.length, 3);
  for (const line of lines.slice(1))
    assert.match(
      line,
      /^"[0-9a-f-]{36}","\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ","root","AssociateTeamMember","codestar.amazonaws.com","AWS::CodeStar::Project","arn:aws:codestar:us-east-1:000000000000:project\/payments-api","ASIA[A-Z0-9]{16}","us-east-1","","127.0.0.1","false"$/,
    );
  const json = await fetchFile('Download JSON');
  assert.match(json.name, /\.json$/);
  const { Records } = JSON.parse(json.text);
  assert.deepEqual(
    Records.map((r: any) => [r.eventName, r.requestParameters.userArn.replace(/^.*\//, ''), r.sessionCredentialFromConsole]),
    [
      ['AssociateTeamMember', 'bob', 'true'],
      ['AssociateTeamMember', 'anna', 'true'],
    ],
  );
  const fromApi = await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'EventName', AttributeValue: 'AssociateTeamMember' }]);
  assert.deepEqual(
    Records.map((r: any) => r.eventID),
    fromApi.map((e) => e.EventId),
  );
});

test('trails with their status', async () => {
  await page.getByRole('link', { name: 'Trails' }).click();
  const row = page.locator('tr[data-trail="org-audit"]');
  await row.waitFor();
  assert.match((await row.textContent())!, /Logging.*console-logs.*All Regions.*Enabled/);
  assert.match((await page.locator('tr[data-trail="paused-trail"]').textContent())!, /Not logging/);
  await shot(page, 'trails');
});

test('an IAM user signs in, sees their groups and the policies that apply to them, and creates their CodeStar user profile', async () => {
  const own = await browser.newContext({ viewport: { width: 1360, height: 860 } });
  const p = await own.newPage();
  await signIn(p, server.endpoint, anna);
  await p.getByRole('link', { name: /anna/ }).click();
  const policies = p.getByRole('table', { name: 'Policies' });
  await policies.waitFor();
  assert.equal((await p.getByTestId('groups').textContent())?.trim(), 'developers');
  assert.equal(await p.getByTestId('boundary').textContent(), `arn:aws:iam::${ACCOUNT}:policy/dev-boundary`);
  const rows = await policies
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.firstChild?.textContent ?? '').join(' | ')));
  // the team test above made anna a Viewer of payments-api: CodeStar attached its role policy to her
  assert.deepEqual(rows, [
    'read-own-iam | Inline | Directly',
    'CodeStar_payments-api_Viewer | Customer managed | Directly',
    'read-group-policies | Inline | Group developers',
    'AWSCodeStarFullAccess | AWS managed | Group developers',
  ]);
  await p.getByLabel('Display name').fill('Anna Lindqvist');
  await p.getByLabel('Email address').fill('anna@example.com');
  await p.getByRole('button', { name: 'Create profile' }).click();
  await p.getByRole('button', { name: 'Save profile' }).waitFor();
  await shot(p, 'profile');
  await own.close();
});

test("the Region selector: Event history shows the chosen Region's calls, and the choice is kept", async () => {
  await new CodeStarClient(sdkConfig(server.endpoint, server.root, 'eu-west-1')).send(new CreateProjectCommand({ id: 'west-proj', name: 'West' }));
  await page.getByLabel('Region').selectOption('eu-west-1');
  await page.getByRole('link', { name: 'Event history' }).click();
  await page.locator('table.events').waitFor();
  await page.getByLabel('Lookup attribute').selectOption('EventName');
  await page.getByLabel('Attribute value').fill('CreateProject');
  await page.getByRole('button', { name: 'Add filter' }).click();
  await page.waitForFunction(() => document.querySelectorAll('table.events tbody tr td[data-col="ResourceName"]').length === 1);
  assert.match((await page.locator('table.events tbody tr td[data-col="ResourceName"]').textContent()) ?? '', /project\/west-proj/);
  // the console's own us-east-1 project is not in eu-west-1's history; it is back in us-east-1's
  await page.reload();
  assert.equal(await page.getByLabel('Region').inputValue(), 'eu-west-1', 'kept across a reload');
  await page.getByLabel('Region').selectOption('us-east-1');
  await page.getByRole('link', { name: 'Event history' }).click();
  await page.getByLabel('Lookup attribute').selectOption('EventName');
  await page.getByLabel('Attribute value').fill('CreateProject');
  await page.getByRole('button', { name: 'Add filter' }).click();
  await page.waitForFunction(() => document.querySelectorAll('table.events tbody tr td[data-col="ResourceName"]').length >= 1);
  const names = await page.locator('table.events tbody tr td[data-col="ResourceName"]').allTextContents();
  assert.ok(names.length >= 1 && names.every((n) => !n.includes('west-proj')), names.join(' | '));
});
