/**
 * The web console's security in a real browser (docs/architecture.md#console): a failed sign-in is refused and recorded as
 * ConsoleLogin Failure; a user without CodeStar permissions sees AWS's own AccessDenied message;
 * hostile strings in records and projects (`<img src=x onerror=…>`) are shown as text; a POST without
 * the session's CSRF token, or from another origin, is refused and changes nothing; signing out ends
 * the session; no secret reaches the page. Records are checked with @aws-sdk/client-cloudtrail.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CodeStarClient, CreateProjectCommand, DescribeProjectCommand, ListProjectsCommand } from '@aws-sdk/client-codestar';
import { IAMClient, CreateAccessKeyCommand, CreateUserCommand } from '@aws-sdk/client-iam';
import { CHROMIUM, submitSignIn } from './helpers/browser.ts';
import { startServer, type Credentials, type TestServer } from './helpers/server.ts';
import { sdkConfig } from './helpers/clients.ts';
import { sdkLookup } from './helpers/history.ts';
import { form, json, signedFetch } from './helpers/raw.ts';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
const HOSTILE = '<img src=x onerror="window.__pwned=1">';

let server: TestServer;
let browser: Browser;
let nobody: Credentials;

async function shot(p: Page, name: string): Promise<void> {
  await p.evaluate(() => document.querySelector('.toasts')?.replaceChildren());
  await p.screenshot({ path: `${SHOTS}console-${name}.png`, fullPage: true });
}

async function openConsole(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
  const page = await context.newPage();
  await page.goto(`${server.endpoint}/console/`);
  return page;
}

/** Nothing from the page's data became markup: no <img> in the page, no handler ran. */
async function noInjection(p: Page): Promise<void> {
  assert.equal(await p.locator('#app img:not([src="/console/static/favicon.svg"])').count(), 0);
  assert.equal(await p.evaluate(() => (window as any).__pwned), undefined);
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer();
  const iam = new IAMClient(sdkConfig(server.endpoint, server.root));
  await iam.send(new CreateUserCommand({ UserName: 'nobody' }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'nobody' }))).AccessKey!;
  nobody = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  browser = await chromium.launch(CHROMIUM);
});

after(async () => {
  await browser?.close();
  await server?.dispose();
});

test('a wrong secret: refused with a message that reveals nothing, recorded as ConsoleLogin Failure', async () => {
  const page = await openConsole();
  await submitSignIn(page, { accessKeyId: server.root.accessKeyId, secretAccessKey: 'not-the-secret' });
  await page.getByRole('alert').getByText('Your authentication information is incorrect. Please try again.').waitFor();
  assert.equal(await page.getByLabel('Secret access key').inputValue(), '', 'the typed secret is cleared');
  await shot(page, 'signin-failed');
  const failures = (await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'EventName', AttributeValue: 'ConsoleLogin' }]))
    .map((e) => JSON.parse(e.CloudTrailEvent!))
    .filter((r) => r.responseElements?.ConsoleLogin === 'Failure');
  assert.equal(failures.length, 1);
  const [r] = failures;
  assert.equal(r.eventSource, 'signin.amazonaws.com');
  assert.equal(r.eventType, 'AwsConsoleSignIn');
  assert.equal(r.errorMessage, 'Failed authentication');
  assert.equal(r.errorCode, undefined);
  assert.deepEqual(r.userIdentity, { type: 'Unknown', accessKeyId: server.root.accessKeyId });
  assert.deepEqual(Object.keys(r.additionalEventData), ['LoginTo', 'MobileVersion', 'MFAUsed']);
  assert.ok(!JSON.stringify(r).includes('not-the-secret'));
  await page.context().close();
});

test('a user without CodeStar permissions sees AWS’s AccessDenied message, and the denial is recorded', async () => {
  let expected = '';
  try {
    await new CodeStarClient(sdkConfig(server.endpoint, nobody)).send(new ListProjectsCommand({}));
  } catch (e) {
    expected = (e as Error).message;
  }
  assert.match(expected, /^User: arn:aws:iam::000000000000:user\/nobody is not authorized to perform: codestar:ListProjects/);
  const page = await openConsole();
  await submitSignIn(page, nobody);
  const banner = page.getByRole('alert');
  await banner.waitFor();
  assert.equal(await banner.locator('.aws-message').textContent(), expected);
  assert.equal(await banner.locator('.code').textContent(), 'AccessDeniedException');
  await shot(page, 'denied');
  const denied = (
    await sdkLookup(server.endpoint, server.root, [
      { AttributeKey: 'Username', AttributeValue: 'nobody' },
      { AttributeKey: 'EventName', AttributeValue: 'ListProjects' },
    ])
  ).map((e) => JSON.parse(e.CloudTrailEvent!));
  assert.ok(denied.some((r) => r.errorCode === 'AccessDenied' && r.sessionCredentialFromConsole === 'true'));
  await page.context().close();
});

test('hostile strings in a project and in a user agent are shown as text', async () => {
  await new CodeStarClient(sdkConfig(server.endpoint, server.root)).send(
    new CreateProjectCommand({ id: 'hostile', name: HOSTILE, description: `${HOSTILE} <script>window.__pwned=2</script>` }),
  );
  const r = await signedFetch(server.endpoint, server.root, 'codestar', { ...json('CodeStar_20170419.ListProjects'), 'user-agent': HOSTILE }, '{}');
  assert.equal(r.status, 200);
  const [event] = (await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'EventName', AttributeValue: 'ListProjects' }])).filter(
    (e) => JSON.parse(e.CloudTrailEvent!).userAgent === HOSTILE,
  );
  assert.ok(event);
  const page = await openConsole();
  await submitSignIn(page, server.root);
  const row = page.locator('tr[data-project="hostile"]');
  await row.waitFor();
  assert.equal(await row.locator('td').first().textContent(), HOSTILE);
  await noInjection(page);
  await page.goto(`${server.endpoint}/console/events/${event.EventId}`);
  await page.locator('.user-agent').waitFor();
  assert.equal(await page.locator('.user-agent').textContent(), HOSTILE);
  assert.equal(JSON.parse((await page.locator('pre.json').textContent())!).userAgent, HOSTILE);
  await noInjection(page);
  await shot(page, 'hostile');
  await page.goto(`${server.endpoint}/console/events`);
  await page.locator('table.events').waitFor();
  await noInjection(page);
  await shot(page, 'events-all');
  await page.context().close();
});

test('control characters in a record are shown as control pictures, and the JSON view keeps its escapes', async () => {
  const r = await signedFetch(server.endpoint, server.root, 'iam', form, 'Action=List%00Users%7F&Version=2010-05-08');
  assert.equal(r.status, 400, r.body);
  const [event] = await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'EventName', AttributeValue: 'List\u0000Users\u007f' }]);
  assert.ok(event);
  const page = await openConsole();
  await submitSignIn(page, server.root);
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  await page.goto(`${server.endpoint}/console/events/${event.EventId}`);
  await page.locator('h1.event-name').waitFor();
  assert.equal(await page.locator('h1.event-name').textContent(), 'List\u2400Users\u2421');
  const shown = JSON.parse((await page.locator('pre.json').textContent())!);
  // JSON escapes NUL (kept as \u0000); DEL, which JSON leaves raw, is shown as its picture too
  assert.equal(shown.eventName, 'List\u0000Users\u2421');
  assert.equal(shown.errorCode, 'InvalidAction');
  await page.context().close();
});

test('CSRF: a POST without the session’s token, with a wrong one, or from another origin is refused and changes nothing', async () => {
  const page = await openConsole();
  await submitSignIn(page, server.root);
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  const body = JSON.stringify({ id: 'csrf-probe', name: 'CSRF probe' });
  const inPage = (headers: Record<string, string>) =>
    page.evaluate(
      async ({ headers, body }) => {
        const r = await fetch('/console/api/call/codestar/CreateProject', { method: 'POST', headers, body });
        return { status: r.status, body: await r.json() };
      },
      { headers, body },
    );
  assert.deepEqual((await inPage({ 'content-type': 'application/json' })).body.code, 'InvalidCsrfToken');
  const wrong = await inPage({ 'content-type': 'application/json', 'x-csrf-token': 'guessed' });
  assert.deepEqual([wrong.status, wrong.body.code], [403, 'InvalidCsrfToken']);
  const token = await page.evaluate(async () => (await (await fetch('/console/api/session')).json()).csrfToken);
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const fromElsewhere = await fetch(`${server.endpoint}/console/api/call/codestar/CreateProject`, {
    method: 'POST',
    headers: { cookie, origin: 'http://evil.example', 'content-type': 'application/json', 'x-csrf-token': token },
    body,
  });
  assert.equal(fromElsewhere.status, 403);
  const asForm = await fetch(`${server.endpoint}/console/api/call/codestar/CreateProject`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': token },
    body: 'id=csrf-probe',
  });
  assert.equal(asForm.status, 403);
  await assert.rejects(new CodeStarClient(sdkConfig(server.endpoint, server.root)).send(new DescribeProjectCommand({ id: 'csrf-probe' })), {
    name: 'ProjectNotFoundException',
  });
  const created = await sdkLookup(server.endpoint, server.root, [{ AttributeKey: 'EventName', AttributeValue: 'CreateProject' }]);
  assert.ok(
    created.every((e) => !e.CloudTrailEvent!.includes('csrf-probe')),
    'a refused request never reached the pipeline',
  );
  await page.context().close();
});

test('no secret reaches the page; signing out ends the session for its cookie', async () => {
  const page = await openConsole();
  await submitSignIn(page, server.root);
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  const session = await page.evaluate(async () => (await fetch('/console/api/session')).text());
  assert.deepEqual(Object.keys(JSON.parse(session)).sort(), [
    'csrfToken',
    'expiresAt',
    'identity',
    'idleExpiresAt',
    'region',
    'regions',
    'signedIn',
    'version',
  ]);
  assert.ok(!/secret|sessionToken|ASIA/i.test(session));
  const html = await page.content();
  assert.ok(!html.includes(server.root.secretAccessKey));
  assert.equal(
    await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })).then((s) => s.includes(server.root.secretAccessKey)),
    false,
  );
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Access key ID').waitFor();
  assert.equal((await page.context().cookies()).length, 0);
  const after = await fetch(`${server.endpoint}/console/api/call/codestar/ListProjects`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: '{}',
  });
  assert.equal(after.status, 401);
  assert.equal((await after.json()).code, 'SessionExpired');
  await page.context().close();
});
